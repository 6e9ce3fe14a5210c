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
})();
