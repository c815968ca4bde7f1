// A guided session: one step at a time with a countdown, then the log button.
// Without this file the page lists the steps and their times, and the log button works.
(function () {
  "use strict";

  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function setUp() {
    var panel = document.querySelector("[data-guide]");
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-guide-steps] > li"));
    if (!panel || !items.length) return;
    var steps = items.map(function (li) {
      return { seconds: Number(li.dataset.seconds) || 0, title: li.dataset.title,
               instruction: li.dataset.instruction || "", item: li };
    });
    var position = panel.querySelector("[data-guide-position]");
    var title = panel.querySelector("[data-guide-title]");
    var instruction = panel.querySelector("[data-guide-instruction]");
    var display = panel.querySelector("[data-guide-clock]");
    var bar = panel.querySelector("[data-guide-bar]");
    var toggle = panel.querySelector("[data-guide-toggle]");
    var next = panel.querySelector("[data-guide-next]");
    var done = document.querySelector("[data-guide-done]");
    var index = 0, left = steps[0].seconds, timer = null, last = 0;

    function show() {
      var step = steps[index];
      position.textContent = "Step " + (index + 1) + " of " + steps.length;
      title.textContent = step.title;
      instruction.textContent = step.instruction;
      display.textContent = clock(left);
      // A custom property through the CSSOM: the CSP forbids style attributes.
      bar.parentNode.style.setProperty("--done", (1 - left / (step.seconds || 1)) * 100 + "%");
      items.forEach(function (li, i) { li.classList.toggle("current", i === index); });
    }

    function finish() {
      stop();
      panel.hidden = true;
      done.classList.add("highlight");
      done.querySelector("button").focus();
    }

    function advance() {
      if (index + 1 >= steps.length) { finish(); return; }
      index += 1;
      left = steps[index].seconds;
      if (navigator.vibrate) navigator.vibrate(150);
      show();
    }

    function tick(now) {
      left -= (now - last) / 1000;
      last = now;
      if (left <= 0) advance();
      else show();
    }

    function start() {
      last = performance.now();
      timer = setInterval(function () { tick(performance.now()); }, 250);
      toggle.textContent = "Pause";
    }

    function stop() {
      clearInterval(timer);
      timer = null;
      toggle.textContent = "Resume";
    }

    toggle.addEventListener("click", function () { if (timer) stop(); else start(); });
    next.addEventListener("click", advance);
    panel.hidden = false;
    show();
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
