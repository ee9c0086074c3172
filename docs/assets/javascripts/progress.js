// Progress tracking: checklist ticks persist in this browser (localStorage).
(function () {
  "use strict";
  var PREFIX = "roadmap-progress:";
  function key(box, index) {
    return PREFIX + location.pathname + "#" + index;
  }
  function restore() {
    var boxes = document.querySelectorAll(".task-list-item input[type=checkbox]");
    boxes.forEach(function (box, index) {
      box.disabled = false;
      box.checked = localStorage.getItem(key(box, index)) === "1";
      box.addEventListener("change", function () {
        localStorage.setItem(key(box, index), box.checked ? "1" : "0");
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
