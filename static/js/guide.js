// A guided session: one step at a time with a countdown, a chime and a buzz at each step,
// the screen kept on, then the log with the minutes spent and the steps done.
// The server renders the whole frame for the first step; this file only fills it in.
// Without it the page lists the steps and their times, and the log button logs the routine.
(function () {
  "use strict";

  // Pure functions (no DOM, no clock), exposed for the browser tests.

  // Where a run stands `seconds` later, starting `into` seconds into step `index`: the step
  // it lands on, how far into it, the seconds spent on each step on the way, and whether it
  // ran past the last step. A phone locked for three steps' worth lands three steps on.
  function advance(durations, index, into, seconds) {
    var spent = durations.map(function () { return 0; });
    var left = Math.max(0, seconds);
    while (index < durations.length) {
      var room = durations[index] - into;
      if (left < room) {
        spent[index] += left;
        return { index: index, into: into + left, spent: spent, finished: false };
      }
      spent[index] += room;
      left -= room;
      index += 1;
      into = 0;
    }
    var last = durations.length - 1;
    return { index: last, into: durations[last], spent: spent, finished: true };
  }

  // A step counts as done once at least half its time was spent on it.
  function stepsDone(durations, spent) {
    var done = [];
    durations.forEach(function (seconds, i) { if (spent[i] >= seconds / 2) done.push(i); });
    return done;
  }

  // Whole minutes, never less than one (the server refuses a session of none).
  function minutesSpent(seconds) {
    return Math.max(1, Math.round(seconds / 60));
  }

  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds - 1e-6));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  window.FacetrackGuide = { advance: advance, stepsDone: stepsDone, minutesSpent: minutesSpent, clock: clock };

  var SOUND_KEY = "facetrack.guide.sound";

  function remembered(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function remember(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: this visit only */ }
  }

  // The screen stays on while the timer runs (Screen Wake Lock API, where there is one).
  function WakeLock() {
    var sentinel = null, wanted = false;
    this.supported = "wakeLock" in navigator;
    this.keep = function () {
      wanted = true;
      if (!this.supported || sentinel) return;
      navigator.wakeLock.request("screen").then(function (lock) {
        if (!wanted) { lock.release(); return; }  // paused while the request was pending
        sentinel = lock;
        lock.addEventListener("release", function () { if (sentinel === lock) sentinel = null; });
      }).catch(function () { /* refused (battery saver, hidden page): the timer runs anyway */ });
    };
    this.release = function () {
      wanted = false;
      if (!sentinel) return;
      var lock = sentinel;
      sentinel = null;
      lock.release().catch(function () { /* already released by the browser */ });
    };
  }

  // A short chime, made on the spot (no sound file): one note per step, two at the end.
  function Chime() {
    var context = null;
    var Context = window.AudioContext || window.webkitAudioContext;
    // Browsers start audio only from a tap: call this from one (Start).
    this.unlock = function () {
      if (!Context) return;
      if (!context) context = new Context();
      if (context.state === "suspended") context.resume();
    };
    this.play = function (final) {
      if (!context) return;
      var start = context.currentTime;
      (final ? [660, 880] : [880]).forEach(function (frequency, i) {
        var at = start + i * 0.2;
        var tone = context.createOscillator();
        var volume = context.createGain();
        tone.type = "sine";
        tone.frequency.value = frequency;
        volume.gain.setValueAtTime(0.0001, at);
        volume.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
        volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.5);
        tone.connect(volume);
        volume.connect(context.destination);
        tone.start(at);
        tone.stop(at + 0.55);
      });
    };
  }

  function setUp() {
    var panel = document.querySelector("[data-guide]");
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-guide-steps] > li"));
    if (!panel || !items.length) return;
    var steps = items.map(function (li) {
      return { id: li.dataset.step, seconds: Number(li.dataset.seconds) || 1, title: li.dataset.title,
               instruction: li.dataset.instruction || "" };
    });
    var durations = steps.map(function (step) { return step.seconds; });
    function part(name) { return panel.querySelector("[data-guide-" + name + "]"); }
    var position = part("position"), title = part("title"), instruction = part("instruction");
    var display = part("clock"), bar = part("bar"), status = part("status");
    var toggle = part("toggle"), next = part("next"), previous = part("previous");
    var fullButton = part("fullscreen"), sound = part("sound");
    var form = document.querySelector("[data-guide-log]");
    var summary = document.querySelector("[data-guide-summary]");
    var wake = new WakeLock(), chime = new Chime();
    var index = 0, into = 0, spent = durations.map(function () { return 0; });
    var timer = null, last = 0, started = false, finished = false;

    function running() { return timer !== null; }

    function show() {
      var step = steps[index];
      position.textContent = finished ? "All steps done" : "Step " + (index + 1) + " of " + steps.length;
      title.textContent = step.title;
      instruction.textContent = step.instruction;
      var left = finished ? 0 : step.seconds - into;
      display.textContent = clock(left);
      // A custom property through the CSSOM: the CSP forbids style attributes.
      bar.parentNode.style.setProperty("--done", (1 - left / step.seconds) * 100 + "%");
      previous.disabled = finished || index === 0;
      next.disabled = finished;
      toggle.disabled = finished;
      items.forEach(function (li, i) {
        li.classList.toggle("current", i === index && !finished);
        if (i === index && !finished) li.setAttribute("aria-current", "step");
        else li.removeAttribute("aria-current");
      });
    }

    function total() {
      return spent.reduce(function (sum, seconds) { return sum + seconds; }, 0);
    }

    function summarise() {
      if (!started) return;
      var done = stepsDone(durations, spent).length, minutes = minutesSpent(total());
      summary.textContent = "Logging now records " + minutes + " minute" + (minutes === 1 ? "" : "s") +
        " and the " + done + " of " + steps.length + " steps done (a step counts once you spent " +
        "at least half its time on it).";
    }

    function signal(final) {
      if (navigator.vibrate) navigator.vibrate(final ? [150, 100, 150] : 150);
      if (sound.checked) chime.play(final);
    }

    // Time passes only while the timer runs; worked out from performance.now(), so that a
    // tick that comes late (a locked phone) moves on by as many steps as the time says.
    function catchUp() {
      if (!running()) return;
      var now = performance.now();
      var moved = advance(durations, index, into, (now - last) / 1000);
      last = now;
      moved.spent.forEach(function (seconds, i) { spent[i] += seconds; });
      var from = index;
      index = moved.index;
      into = moved.into;
      if (moved.finished) { finish(); return; }
      if (index !== from) {
        signal(false);
        summarise();
        if (index - from > 1) status.textContent = "Moved on to step " + (index + 1) + " by the clock while the screen was away.";
      }
      show();
    }

    function start() {
      started = true;
      chime.unlock();
      last = performance.now();
      timer = setInterval(catchUp, 250);
      wake.keep();
      toggle.textContent = "Pause";
      summarise();
    }

    function pause() {
      catchUp();
      if (!running()) return;
      clearInterval(timer);
      timer = null;
      wake.release();
      toggle.textContent = "Resume";
      summarise();
    }

    function goTo(target) {
      catchUp();
      if (finished) return;
      if (target >= steps.length) { finish(); return; }
      index = Math.max(0, target);
      into = 0;
      signal(false);
      summarise();
      show();
    }

    function finish() {
      if (running()) { clearInterval(timer); timer = null; }
      wake.release();
      finished = true;
      index = steps.length - 1;
      into = steps[index].seconds;
      signal(true);
      summarise();
      show();
      document.querySelector("[data-guide-done]").classList.add("highlight");
      // Out of full screen first: the page under it cannot take the focus until then.
      leaveFullScreen().then(function () { form.querySelector("button").focus(); });
    }

    // Full screen: the Fullscreen API where there is one (not on iPhones), else the panel
    // covers the page.
    function setFull(on) {
      panel.classList.toggle("is-full", on);
      fullButton.setAttribute("aria-pressed", on ? "true" : "false");
    }

    function enterFullScreen() {
      setFull(true);
      if (document.fullscreenEnabled && panel.requestFullscreen) {
        panel.requestFullscreen().catch(function () { /* refused: the covering panel remains */ });
      }
    }

    function leaveFullScreen() {
      setFull(false);
      if (!document.fullscreenElement) return Promise.resolve();
      return document.exitFullscreen().catch(function () {});
    }

    fullButton.addEventListener("click", function () {
      if (panel.classList.contains("is-full")) leaveFullScreen(); else enterFullScreen();
    });
    document.addEventListener("fullscreenchange", function () {
      if (!document.fullscreenElement) setFull(false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.classList.contains("is-full")) leaveFullScreen();
    });

    sound.checked = remembered(SOUND_KEY) !== "off";
    sound.addEventListener("change", function () {
      remember(SOUND_KEY, sound.checked ? "on" : "off");
      if (sound.checked) chime.unlock();
    });
    if (!wake.supported) status.textContent = "This browser cannot keep the screen on: tap it now and then.";

    toggle.addEventListener("click", function () { if (running()) pause(); else start(); });
    next.addEventListener("click", function () { goTo(index + 1); });
    previous.addEventListener("click", function () { goTo(index - 1); });

    // A hidden page loses its wake lock: take it again on return, and catch up at once.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "visible" || !running()) return;
      catchUp();
      if (running()) wake.keep();
    });
    window.addEventListener("pagehide", function () { wake.release(); });

    // Once started, the log says what was done: the minutes spent and the steps done. Caught
    // on the way down from the window, so that the fields are there before offline.js (on the
    // document) keeps a log made without a connection on the phone.
    window.addEventListener("submit", function (event) {
      if (event.target !== form) return;
      catchUp();
      if (!started) return;
      form.querySelectorAll("input[data-guide-field]").forEach(function (input) { input.remove(); });
      function field(name, value) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        input.dataset.guideField = "";
        form.appendChild(input);
      }
      field("minutes", minutesSpent(total()));
      stepsDone(durations, spent).forEach(function (i) { field("steps", steps[i].id); });
    }, true);

    show();
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
