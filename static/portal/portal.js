/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // Filter forms submit by themselves with htmx; hide their button once htmx is there.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.htmx) { return; }
    document.querySelectorAll("form.filters button[type=submit]").forEach(function (b) {
      b.classList.add("visually-hidden");
    });
  });

  // A refusal the server marks (the board's counter buttons: 400, 403, 409) carries the queue
  // with its message: swap it in like a success, instead of htmx's default of ignoring it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("X-Swap-Refusal")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The board's queue refreshes itself every 30 seconds; not while someone is typing a reason
  // or has a reject or override form open in it, which the refresh would wipe.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.id !== "queue") { return; }
    var active = document.activeElement;
    if (elt.querySelector("details[open]") || (active && elt.contains(active) && active.matches("input, select, textarea"))) {
      event.preventDefault();
    }
  });
})();
