// The search index on first use of search, not on every page load.
//
// Material's bundle requests search/search_index.json (the largest file a page loads)
// as soon as the page starts, and parses it on the main thread. This script runs
// before the bundle and holds that one request until the reader first opens search:
// focuses the search field, opens the search toggle (the header's search icon, or
// the keyboard shortcuts s, f and /, which click it), or follows a link from a search
// result (its ?h= highlights the terms and needs the index). A query typed while the
// index loads is run as soon as it is ready. Every other request goes out unchanged.
// From file:// (the offline build) Material already loads the index on first use.
//
// Zensical's bundle does the same with search.json at the top of the site, and its
// search is a button (overrides/partials/search.html) that opens a dialog the bundle
// draws only once the index is in: the first click on the button (or "/", which
// clicks it, or the header's search icon on a phone) sends the request, and the
// dialog opens when the index arrives. Its Ctrl+K (Cmd+K) is handled inside that
// dialog, so until the dialog exists this script clicks the button for it.
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json$|\/search\.json$/; // Material, Zensical
  var BUTTON = "[data-md-component=search] .md-search__button"; // Zensical's only
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var forIndex = new WeakSet();
  var held = [];
  var released = false;

  XMLHttpRequest.prototype.open = function (method, url) {
    if (INDEX.test(String(url).split(/[?#]/)[0])) forIndex.add(this);
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    if (released || !forIndex.has(this)) return send.apply(this, arguments);
    held.push([this, arguments]);
  };

  function release() {
    if (released) return;
    released = true;
    held.forEach(function (request) { send.apply(request[0], request[1]); });
    held = [];
    document.removeEventListener("focusin", onFocus, true);
    document.removeEventListener("change", onChange, true);
    document.removeEventListener("click", onClick, true);
  }

  function onFocus(event) {
    if (event.target.matches && event.target.matches("[data-md-component=search-query]")) {
      release();
    }
  }

  function onChange(event) {
    if (event.target.matches && event.target.matches("[data-md-toggle=search]")) release();
  }

  function onClick(event) {
    if (event.target.closest && event.target.closest(BUTTON)) release();
  }

  // Zensical's dialog: an element appended to <body> with a <dialog> in its shadow root.
  function dialogDrawn() {
    return Array.prototype.some.call(document.body.children, function (element) {
      return element.shadowRoot && element.shadowRoot.querySelector("dialog");
    });
  }

  function onKey(event) {
    if (!(event.ctrlKey || event.metaKey) || event.key !== "k") return;
    var button = document.querySelector(BUTTON);
    if (!button || dialogDrawn()) return; // Material has no Ctrl+K; the dialog has its own
    event.preventDefault();
    button.click();
  }

  document.addEventListener("focusin", onFocus, true);
  document.addEventListener("change", onChange, true);
  document.addEventListener("click", onClick, true);
  document.addEventListener("keydown", onKey, true);
  if (new URLSearchParams(location.search).has("h")) release();
})();
