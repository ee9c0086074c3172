// Tooltips (glossary terms, copy buttons, header buttons) built on first hover or focus.
//
// Material's `content.tooltips` mounts a component on every element with a title
// when a page loads: listeners and a layout read per glossary term and per copy
// button, which was most of the blocking time on the stage pages (Lighthouse, mobile:
// Stage 1 274 -> 121 ms with the other changes in place). This script draws the
// same tooltip, with Material's own classes and styles, only for the element the
// reader points at or focuses: one set of listeners on the document, no work at load.
// While a tooltip shows, its host's title moves into it, so the browser does not
// show a second, native one; the host is described by it (aria-describedby).
(function () {
  "use strict";

  var HOSTS = ".md-content [title], .md-header [title]";
  var HIDE_MS = 250; // Material's fade-out before the tooltip leaves the page
  var sequence = 0;
  var shown = null; // { host, node, title }

  function place(host, node) {
    var rect = host.getBoundingClientRect();
    var style = node.style;
    style.setProperty("--md-tooltip-host-x", rect.left + window.scrollX + "px");
    style.setProperty("--md-tooltip-host-y", rect.top + window.scrollY + "px");
    style.setProperty("--md-tooltip-x", rect.width / 2 + "px");
    style.setProperty("--md-tooltip-y", 8 + rect.height + "px");
    style.setProperty("--md-tooltip-width", node.firstChild.offsetWidth + "px");
    style.setProperty("--md-tooltip-tail", "0px");
  }

  function show(host) {
    if (shown && shown.host === host) return;
    hide();
    var title = host.getAttribute("title");
    if (!title) return;
    var node = document.createElement("div");
    node.className = "md-tooltip2 md-tooltip2--bottom";
    node.setAttribute("role", "tooltip");
    node.id = "__tooltip_" + sequence++;
    var inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    inner.textContent = title;
    node.appendChild(inner);
    host.removeAttribute("title");
    host.setAttribute("aria-describedby", node.id);
    document.body.appendChild(node);
    place(host, node);
    shown = { host: host, node: node, title: title };
    requestAnimationFrame(function () {
      if (shown && shown.node === node) node.classList.add("md-tooltip2--active");
    });
  }

  function hide() {
    if (!shown) return;
    var host = shown.host;
    var node = shown.node;
    host.setAttribute("title", shown.title);
    host.removeAttribute("aria-describedby");
    node.classList.remove("md-tooltip2--active");
    setTimeout(function () { node.remove(); }, HIDE_MS);
    shown = null;
  }

  function hostOf(target) {
    if (!(target instanceof Element)) return null;
    if (shown && shown.host.contains(target)) return shown.host;
    return target.closest(HOSTS);
  }

  function enter(event) {
    var host = hostOf(event.target);
    if (host) show(host);
    else hide(); // the pointer is elsewhere, even if the host never saw it leave
  }

  function leave(event) {
    if (!shown || !shown.host.contains(event.target)) return;
    if (event.relatedTarget instanceof Node && shown.host.contains(event.relatedTarget)) return;
    hide();
  }

  document.addEventListener("mouseover", enter);
  document.addEventListener("mouseout", leave);
  document.addEventListener("focusin", enter);
  document.addEventListener("focusout", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  // A header button stays where it is while the page scrolls under it.
  window.addEventListener("scroll", function () {
    if (shown) place(shown.host, shown.node);
  }, { passive: true });
})();
