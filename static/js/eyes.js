// Marking the eyes on a photo: tap each eye, drag a mark to adjust it, or move a focused mark
// with the arrow keys. The marks write the form's number fields, which stay the source of
// truth (and the way in without this script).
(function () {
  "use strict";

  function setUp(root) {
    var figure = root.querySelector("[data-eyes]");
    if (!figure || figure.dataset.ready) return;
    figure.dataset.ready = "1";
    var width = Number(figure.dataset.width), height = Number(figure.dataset.height);
    if (!width || !height) return;
    var image = figure.querySelector("[data-eyes-image]");
    var status = root.querySelector("[data-eyes-status]");
    var marks = {
      first: { button: figure.querySelector('[data-eye="first"]'), x: field("first_x"), y: field("first_y") },
      second: { button: figure.querySelector('[data-eye="second"]'), x: field("second_x"), y: field("second_y") },
    };

    function field(name) { return root.querySelector('input[name="' + name + '"]'); }
    function isSet(mark) { return mark.x.value !== "" && mark.y.value !== ""; }
    function clamp(value, max) { return Math.min(max, Math.max(0, value)); }

    // A CSS custom property set through the CSSOM: the CSP forbids style attributes.
    function draw(mark) {
      mark.button.hidden = !isSet(mark);
      if (!isSet(mark)) return;
      mark.button.style.setProperty("--x", (100 * Number(mark.x.value) / width) + "%");
      mark.button.style.setProperty("--y", (100 * Number(mark.y.value) / height) + "%");
    }

    function place(mark, x, y) {
      mark.x.value = clamp(x, width).toFixed(1);
      mark.y.value = clamp(y, height).toFixed(1);
      draw(mark);
    }

    function photoPoint(event) {
      var box = image.getBoundingClientRect();
      return [(event.clientX - box.left) * width / box.width, (event.clientY - box.top) * height / box.height];
    }

    function nearest(x, y) {
      var best = null, distance = Infinity;
      ["first", "second"].forEach(function (name) {
        var mark = marks[name];
        if (!isSet(mark)) return;
        var d = Math.hypot(Number(mark.x.value) - x, Number(mark.y.value) - y);
        if (d < distance) { distance = d; best = mark; }
      });
      return best;
    }

    image.addEventListener("click", function (event) {
      var point = photoPoint(event);
      var mark = !isSet(marks.first) ? marks.first : !isSet(marks.second) ? marks.second : nearest(point[0], point[1]);
      place(mark, point[0], point[1]);
      status.textContent = isSet(marks.second) ? "Both eyes marked: drag a mark to adjust it, then save." : "Now tap the other eye.";
    });

    Object.keys(marks).forEach(function (name) {
      var mark = marks[name];
      var dragging = false;
      mark.button.addEventListener("pointerdown", function (event) {
        dragging = true;
        mark.button.setPointerCapture(event.pointerId);
        event.preventDefault();
      });
      mark.button.addEventListener("pointermove", function (event) {
        if (!dragging) return;
        var point = photoPoint(event);
        place(mark, point[0], point[1]);
      });
      ["pointerup", "pointercancel"].forEach(function (type) {
        mark.button.addEventListener(type, function () { dragging = false; });
      });
      mark.button.addEventListener("keydown", function (event) {
        var step = Math.max(1, Math.round(width / 200)) * (event.shiftKey ? 10 : 1);
        var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
        var move = moves[event.key];
        if (!move) return;
        event.preventDefault();
        place(mark, Number(mark.x.value) + move[0], Number(mark.y.value) + move[1]);
      });
      [mark.x, mark.y].forEach(function (input) { input.addEventListener("input", function () { draw(mark); }); });
      draw(mark);
    });
    figure.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
})();
