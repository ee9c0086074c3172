// The light/dark toggle in the header (the form in overrides/partials/palette.html).
//
// It runs inline, right after the form and before the page body is parsed, so setting
// the palette here restyles almost nothing; afterwards it acts only when the reader
// toggles. The choice is stored where and as Material stores it ("__palette" through
// __md_get/__md_set); without one, the page follows the system's light/dark setting,
// also when that changes while the page is open.
(function () {
  "use strict";

  var KEYS = ["media", "scheme", "primary", "accent"];
  var inputs = document.querySelectorAll("form[data-palette-toggle] input");
  if (!inputs.length) return;

  function colors(input) {
    var color = {};
    KEYS.forEach(function (key) {
      color[key] = input.getAttribute("data-md-color-" + key);
    });
    return color;
  }

  function storedIndex() {
    try {
      var stored = __md_get("__palette");
      var index = stored && stored.index;
      return typeof index === "number" && index >= 0 && index < inputs.length ? index : null;
    } catch (error) {
      return null; // storage blocked or a corrupt value: follow the system setting
    }
  }

  function systemIndex() {
    for (var index = 0; index < inputs.length; index++) {
      var media = inputs[index].getAttribute("data-md-color-media");
      if (media && matchMedia(media).matches) return index;
    }
    return 0;
  }

  // Colours on <body> (Material's stylesheets key on them), the matching radio
  // checked, and only the label that switches to the next palette shown.
  function show(index) {
    var color = colors(inputs[index]);
    KEYS.forEach(function (key) {
      if (color[key]) document.body.setAttribute("data-md-color-" + key, color[key]);
    });
    inputs.forEach(function (input, position) {
      input.checked = position === index;
      var label = input.nextElementSibling;
      if (label && label.tagName === "LABEL") label.hidden = position !== index;
    });
  }

  inputs.forEach(function (input, index) {
    input.addEventListener("change", function () {
      show(index);
      __md_set("__palette", { index: index, color: colors(input) });
    });
    // Enter switches too, as Space does on a radio button.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var next = inputs[(index + 1) % inputs.length];
      next.click();
      next.focus();
    });
  });

  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
    if (storedIndex() === null) show(systemIndex());
  });

  var stored = storedIndex();
  show(stored === null ? systemIndex() : stored);
})();
