// Live updates, written for this project: when the server says the reader's log grew, fetch
// this page again and swap its live region ([data-live]). Without JavaScript the page still
// shows everything; it is only not refreshed on its own.
(function () {
  "use strict";
  var script = document.currentScript;
  var source = script && script.getAttribute("data-events");
  if (!source || !window.EventSource || !window.fetch) { return; }
  var busy = false;
  function refresh() {
    if (busy) { return; }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var regions = document.querySelectorAll("[data-live]");
        for (var i = 0; i < regions.length; i++) {
          var next = regions[i].id && fresh.getElementById(regions[i].id);
          // A form the user is typing in is left alone.
          if (next && !regions[i].contains(document.activeElement)) {
            regions[i].replaceWith(next);
          }
        }
        // The overall marking follows what the page now shows.
        var banners = document.querySelectorAll("p.banner");
        var fresher = fresh.querySelectorAll("p.banner");
        for (var j = 0; j < banners.length && j < fresher.length; j++) {
          banners[j].replaceWith(fresher[j]);
        }
        document.documentElement.setAttribute("data-live-updated", String(Date.now()));
      })
      .finally(function () { busy = false; });
  }
  var events = new EventSource(source);
  events.addEventListener("grown", refresh);
})();
