// Reading progress: checklist ticks kept in this browser, no account and no server.
//
// hooks/progress.py gives every checklist checkbox a stable `data-progress-id`
// ("<page>:<item-slug>"), so ticks survive edits that insert or reorder items and do
// not depend on the URL (the directory-URL site, the offline build and file:// all
// share them). The home page carries the ids per stage as inline JSON
// (#progress-index) and one <span class="stage-progress" data-stage="N"> per stage.
//
// Ticks live in localStorage under one key, as {"<id>": true}. The footer of every
// page offers "Export progress" (a small JSON file) and "Import progress" (replaces
// the ticks in this browser with those in the file).
(function () {
  "use strict";

  var STORAGE_KEY = "ai-engineer-roadmap:progress";
  var FILE_FORMAT = "ai-engineer-roadmap-progress";
  var FILE_VERSION = 1;

  function loadTicks() {
    try {
      var stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}");
      return stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
    } catch (error) {
      return {}; // storage blocked or a corrupt value: start empty, never break the page
    }
  }

  function saveTicks(ticks) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(ticks));
      return true;
    } catch (error) {
      return false;
    }
  }

  function checkboxes() {
    return document.querySelectorAll("input[type=checkbox][data-progress-id]");
  }

  function showTicks(ticks) {
    checkboxes().forEach(function (box) {
      box.checked = ticks[box.getAttribute("data-progress-id")] === true;
    });
  }

  function stageIndex() {
    var element = document.getElementById("progress-index");
    if (!element) return {};
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return {};
    }
  }

  function showStageProgress(ticks) {
    var index = stageIndex();
    document.querySelectorAll(".stage-progress[data-stage]").forEach(function (span) {
      var ids = index[span.getAttribute("data-stage")] || [];
      var ticked = ids.filter(function (id) { return ticks[id] === true; }).length;
      span.textContent = ids.length ? ticked + " of " + ids.length + " ticked" : "no checklist yet";
      span.setAttribute("data-ticked", String(ticked));
      span.classList.toggle("stage-progress--done", ids.length > 0 && ticked === ids.length);
      span.style.setProperty("--stage-progress", ids.length ? ticked / ids.length : 0);
    });
  }

  function render() {
    var ticks = loadTicks();
    showTicks(ticks);
    showStageProgress(ticks);
  }

  function onChange(event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox][data-progress-id]")) return;
    var ticks = loadTicks();
    var id = box.getAttribute("data-progress-id");
    if (box.checked) ticks[id] = true;
    else delete ticks[id];
    if (!saveTicks(ticks)) announce("This browser does not let the site keep your ticks.");
    // The same item may appear twice on a page; keep every copy in step.
    showTicks(ticks);
    showStageProgress(ticks);
  }

  // ---------------------------------------------------------------- export and import

  var status = null;

  function announce(message) {
    if (status) status.textContent = message;
  }

  function exportProgress() {
    var ticks = loadTicks();
    var done = Object.keys(ticks).filter(function (id) { return ticks[id] === true; }).sort();
    var file = {
      format: FILE_FORMAT,
      version: FILE_VERSION,
      exported: new Date().toISOString(),
      done: done
    };
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "roadmap-progress.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    announce("Exported " + done.length + (done.length === 1 ? " tick." : " ticks."));
  }

  function ticksFromFile(text) {
    var data = JSON.parse(text);
    var valid = data && data.format === FILE_FORMAT && data.version === FILE_VERSION &&
      Array.isArray(data.done) &&
      data.done.every(function (id) { return typeof id === "string"; });
    if (!valid) throw new Error("not a progress file");
    var ticks = {};
    data.done.forEach(function (id) { ticks[id] = true; });
    return ticks;
  }

  function importProgress(file) {
    file.text().then(function (text) {
      var ticks = ticksFromFile(text);
      if (!saveTicks(ticks)) {
        announce("This browser does not let the site keep your ticks.");
        return;
      }
      render();
      var count = Object.keys(ticks).length;
      announce("Imported " + count + (count === 1 ? " tick." : " ticks."));
    }).catch(function () {
      announce(file.name + " is not a roadmap progress file; nothing changed.");
    });
  }

  function button(label, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "progress-tools__button";
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  function addTools() {
    var footer = document.querySelector(".md-footer-meta__inner");
    if (!footer) return;
    var tools = document.createElement("div");
    tools.className = "progress-tools";
    tools.setAttribute("role", "group");
    tools.setAttribute("aria-label", "Your checklist progress");

    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "application/json,.json";
    picker.hidden = true;
    picker.setAttribute("aria-label", "Progress file to import");
    picker.addEventListener("change", function () {
      if (picker.files && picker.files[0]) importProgress(picker.files[0]);
      picker.value = "";
    });

    status = document.createElement("span");
    status.className = "progress-tools__status";
    status.setAttribute("role", "status");

    tools.appendChild(button("Export progress", exportProgress));
    tools.appendChild(button("Import progress", function () { picker.click(); }));
    tools.appendChild(picker);
    tools.appendChild(status);
    footer.appendChild(tools);
  }

  function start() {
    addTools();
    render();
    document.addEventListener("change", onChange);
    // Another tab ticked something: show it here too.
    window.addEventListener("storage", function (event) {
      if (event.key === STORAGE_KEY || event.key === null) render();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
