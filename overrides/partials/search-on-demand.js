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
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json$/;
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
  }

  function onFocus(event) {
    if (event.target.matches && event.target.matches("[data-md-component=search-query]")) {
      release();
    }
  }

  function onChange(event) {
    if (event.target.matches && event.target.matches("[data-md-toggle=search]")) release();
  }

  document.addEventListener("focusin", onFocus, true);
  document.addEventListener("change", onChange, true);
  if (new URLSearchParams(location.search).has("h")) release();
})();
