// Print in the light palette with every collapsible block open, then put the page
// back as the reader had it. (The dark palette prints light-grey text that is hard
// to read on paper, and a closed <details> would print only its summary.)
(function () {
  "use strict";

  var savedScheme = null;
  var opened = [];

  window.addEventListener("beforeprint", function () {
    savedScheme = document.body.getAttribute("data-md-color-scheme");
    document.body.setAttribute("data-md-color-scheme", "default");
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });

  window.addEventListener("afterprint", function () {
    if (savedScheme !== null) document.body.setAttribute("data-md-color-scheme", savedScheme);
    savedScheme = null;
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
})();
