// "Turn on notifications" in Settings: the browser asks for permission only once the button is
// tapped, subscribes with the server's VAPID key, and the server keeps the subscription.
// Without this file (or without support) the page says what is missing; nothing else needs it.
(function () {
  "use strict";

  var box = document.getElementById("push");
  if (!box) return;
  var on = box.querySelector("[data-push-on]");
  var off = box.querySelector("[data-push-off]");
  var status = box.querySelector("[data-push-status]");
  var csrf = box.querySelector("[name=csrfmiddlewaretoken]").value;
  var UNREACHABLE = "unreachable";

  box.querySelector("[data-push-needs-script]").hidden = true;

  function say(text) { status.textContent = text; }
  function show(subscribed) { on.hidden = subscribed; off.hidden = !subscribed; }
  // Read when used, so that a test can shorten it.
  function timeout() { return parseInt(box.dataset.timeoutMs, 10) || 20000; }

  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    var apple = /iPhone|iPad|iPod/.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    say(apple
      ? "Add Facetrack to your home screen first, then turn notifications on there (see below)."
      : "This browser cannot receive notifications from websites.");
    return;
  }

  // Some browsers never settle when their push service is out of reach: give up, and say so.
  function withTimeout(promise) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(new Error(UNREACHABLE)); }, timeout());
      promise.then(
        function (value) { clearTimeout(timer); resolve(value); },
        function (error) { clearTimeout(timer); reject(error); }
      );
    });
  }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  async function post(url, body) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    var data = {};
    try { data = await response.json(); } catch (e) { /* not JSON: a login page, say */ }
    if (!response.ok || !data.message) {
      throw new Error(data.error || "the server did not take it; reload the page and try again.");
    }
    return data;
  }

  // The app has one service worker, /sw.js, which offline.js registers on every page; this
  // registers the same script with the same (default) scope only if that has not happened
  // yet, so there is never a second registration or a different scope.
  async function registration() {
    if (!(await navigator.serviceWorker.getRegistration())) {
      await navigator.serviceWorker.register(document.body.dataset.serviceWorker);
    }
    return withTimeout(navigator.serviceWorker.ready);
  }

  async function turnOn() {
    on.disabled = true;
    say("Asking your browser…");
    try {
      var permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(permission === "denied"
          ? "Notifications are blocked for this site: allow them in your browser's site settings, then try again."
          : "Notifications were not allowed.");
        return;
      }
      var worker = await registration();
      say("Contacting your browser's push service…");
      var subscription = await withTimeout(worker.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.publicKey),
      }));
      say((await post(box.dataset.subscribeUrl, subscription.toJSON())).message);
      show(true);
    } catch (error) {
      say(error.message === UNREACHABLE
        ? "Your browser's push service could not be reached. Check your connection and try again."
        : "Notifications could not be turned on: " + error.message);
      on.textContent = "Try again";
    } finally {
      on.disabled = false;
    }
  }

  async function turnOff() {
    off.disabled = true;
    try {
      var worker = await navigator.serviceWorker.getRegistration();
      var subscription = worker && (await worker.pushManager.getSubscription());
      if (subscription) {
        await post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      say("Notifications are off for this device.");
      show(false);
    } catch (error) {
      say("Notifications could not be turned off: " + error.message);
    } finally {
      off.disabled = false;
    }
  }

  // Whether this device is subscribed already, without asking anything.
  async function current() {
    try {
      var worker = await navigator.serviceWorker.getRegistration();
      return Boolean(worker && (await worker.pushManager.getSubscription()));
    } catch (e) {
      return false;
    }
  }

  on.addEventListener("click", turnOn);
  off.addEventListener("click", turnOff);
  current().then(function (subscribed) {
    show(subscribed);
    if (!subscribed && Notification.permission === "denied") {
      say("Notifications are blocked for this site in your browser's settings.");
    }
  });
})();
