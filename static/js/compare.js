// The wipe between two photos: a range input moves the edge of the later photo.
// Without this file the photos still show side by side; the wipe stays hidden.
(function () {
  "use strict";

  function setUp(root) {
    root.querySelectorAll("[data-wipe]").forEach(function (figure) {
      var range = figure.querySelector("[data-wipe-range]");
      if (!range || figure.dataset.ready) return;
      figure.dataset.ready = "1";
      // A CSS custom property set through the CSSOM: the CSP forbids style attributes.
      var move = function () { figure.style.setProperty("--wipe", range.value + "%"); };
      range.addEventListener("input", move);
      move();
      figure.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  // The comparison is swapped in by htmx when another pair or angle is chosen.
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt); });
})();
