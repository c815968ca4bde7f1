// The installable app, in the page: registers the service worker, explains a page kept on the
// phone, saves one-tap logs made offline and sends them later (log-queue.js), and warns
// before a logout would delete logs that are not sent yet. Without JavaScript none of this
// exists, and every page and form still works online.
(function () {
  "use strict";

  const Queue = window.FacetrackLogQueue;
  const body = document.body;
  const root = document.documentElement;
  // Whose logs this page may save: empty when nobody is logged in.
  const me = body.dataset.user || "";
  const identityUrl = body.dataset.identity;
  // Set by the service worker on a copy it kept, shown because the network did not answer.
  const keptAt = root.dataset.keptAt;
  const isKeptCopy = keptAt !== undefined;
  // Shown because the network failed: offline until the browser says otherwise, whatever
  // navigator.onLine claims (it can say "online" while nothing gets through).
  let assumeOffline = isKeptCopy && root.dataset.keptBecause !== "slow";
  let sessionsChanged = false;
  const DOUBLE_TAP_MS = 2000;

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
      .join("-");
  }

  // The tap's moment with the phone's UTC offset, as the server wants it.
  function isoWithOffset(date) {
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
    const offset = -date.getTimezoneOffset();
    return (
      date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      (offset < 0 ? "-" : "+") + pad(offset / 60) + ":" + pad(offset % 60)
    );
  }

  function isOnline() {
    return navigator.onLine && !assumeOffline;
  }

  function clock(date) {
    const time = date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    if (date.toDateString() === new Date().toDateString()) return time;
    const day = date.toLocaleDateString("en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
    });
    return day + ", " + time;
  }

  function plural(n, one, many) {
    return n === 1 ? one : n + " " + many;
  }

  function paragraph(text, className) {
    const p = document.createElement("p");
    p.className = "message" + (className ? " " + className : "");
    p.textContent = text;
    return p;
  }

  function link(text, href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function loginLink() {
    const here = location.pathname + location.search;
    return link("Log in", body.dataset.login + "?next=" + encodeURIComponent(here));
  }

  // ---- A page kept on the phone ------------------------------------------------------

  function showBanner() {
    const banner = document.getElementById("offline-banner");
    if (!banner || !isKeptCopy) return;
    const when = clock(new Date(keptAt));
    banner.replaceChildren();
    if (isOnline() && root.dataset.keptBecause !== "slow") {
      banner.append("Back online; this page is as of " + when + ". ");
      banner.append(link("Show the latest", location.href));
    } else {
      const why = root.dataset.keptBecause === "slow" ? "The connection is slow" : "Offline";
      banner.append(why + ": showing this page as of " + when);
    }
    banner.hidden = false;
  }

  function freshOneTimeIds() {
    document
      .querySelectorAll('form[data-offline-log] input[name="client_id"]')
      .forEach((input) => (input.value = uuid()));
  }

  // ---- The service worker ------------------------------------------------------------

  function worker() {
    return "serviceWorker" in navigator ? navigator.serviceWorker : null;
  }

  function tellWorker(message) {
    const controller = worker() && worker().controller;
    if (controller) controller.postMessage(message);
  }

  // The worker keeps pages as they load; the page it first took over loaded before it.
  function keepThisPage() {
    if (!isKeptCopy && me) tellWorker({ type: "keep-page", url: location.href });
  }

  function startWorker() {
    const sw = worker();
    if (!sw) return;
    sw.addEventListener("message", (event) => {
      if (event.data && event.data.type === "logs-sent") show(event.data.report);
    });
    if (!me) {
      // Logged out (or the session ended): the next person must not see the last one's pages.
      tellWorker({ type: "forget-pages" });
      return;
    }
    sw.addEventListener("controllerchange", keepThisPage);
    sw.register(body.dataset.serviceWorker).catch((error) => {
      // Aborted: a logout unregistered the worker meanwhile.
      if (error.name !== "AbortError") {
        console.warn("Facetrack works without its service worker here:", error);
      }
    });
  }

  async function requestSync() {
    const sw = worker();
    if (!sw) return;
    try {
      const registration = await sw.getRegistration();
      if (registration && registration.sync) await registration.sync.register(Queue.SYNC_TAG);
    } catch (error) {
      // No Background Sync: the `online` event and the next page load send it.
    }
  }

  // ---- Saving and sending one-tap logs -------------------------------------------------

  // The dashboard's log status; elsewhere (a guided routine's end) right below the form.
  function statusFor(form) {
    const dashboard = document.getElementById("log-status");
    if (dashboard) return dashboard;
    let status = form.nextElementSibling;
    if (!status || !status.hasAttribute("data-offline-log-status")) {
      status = document.createElement("div");
      status.setAttribute("data-offline-log-status", "");
      status.setAttribute("role", "status");
      form.after(status);
    }
    return status;
  }

  function say(element, text, className) {
    if (!element) return;
    element.replaceChildren(paragraph(text, className));
  }

  function otherFields(form) {
    const own = ["csrfmiddlewaretoken", "client_id", "performed_at"];
    return Array.from(new FormData(form)).filter(
      ([name, value]) => !own.includes(name) && typeof value === "string"
    );
  }

  async function saveLog(form) {
    const input = form.querySelector('input[name="client_id"]');
    const entry = {
      // The form's own id: if the failed request reached the server after all, sending it
      // again logs nothing new.
      client_id: (input && input.value) || uuid(),
      user: me,
      url: new URL(form.action, location.href).pathname,
      performed_at: isoWithOffset(new Date()),
      // Whatever else the form says (a guided session's minutes and steps done), as pairs:
      // a field may come more than once.
      fields: otherFields(form),
      label: form.dataset.label || "",
      state: Queue.WAITING,
    };
    // A fresh id for the next log, once a double tap is over: a second tap on the same id
    // overwrites the saved log instead of adding one (as the server would answer online).
    if (input) setTimeout(() => (input.value = uuid()), DOUBLE_TAP_MS);
    const status = statusFor(form);
    try {
      await Queue.put(entry);
    } catch (error) {
      say(status, "This phone could not save it: log it once you are back online.", "message-warning");
      return;
    }
    say(status, "Saved on this phone; it will be logged when you are back online.");
    requestSync();
    if (isOnline()) flush();
  }

  async function flush() {
    if (!me) return show(null);
    let report;
    try {
      report = await Queue.flush(identityUrl);
    } catch (error) {
      report = null;
    }
    return show(report);
  }

  // What was sent while this page is open stays said, whoever sent it (page or worker).
  const sentNotices = [];

  async function show(report) {
    if (report && report.sent.length) {
      sessionsChanged = true;
      if (assumeOffline) {
        // The worker got through: so will this page.
        assumeOffline = false;
        showBanner();
      }
      if (window.htmx) window.htmx.trigger(body, "sessions-changed");
    }
    const status = document.getElementById("offline-status");
    if (!status) return;
    let entries = [];
    try {
      entries = await Queue.all();
    } catch (error) {
      // No IndexedDB (a private window in some browsers): nothing can be waiting.
    }
    for (const entry of (report && report.sent) || []) {
      sentNotices.push(paragraph(
        "Logged " + describe(entry) + ": it was saved on this phone.", "message-success"
      ));
    }
    const parts = [...sentNotices];
    for (const entry of entries.filter((e) => e.state === Queue.REFUSED)) {
      parts.push(refusedNotice(entry));
    }
    const waiting = entries.filter((e) => e.state === Queue.WAITING);
    const mine = waiting.filter((e) => me && e.user === me);
    const others = waiting.filter((e) => me && e.user !== me);
    const saved = (n) => plural(n, "A session", "sessions") + " saved on this phone";
    if (!me && waiting.length) {
      const p = paragraph(saved(waiting.length) + " will be logged once you log in again. ");
      if (!location.pathname.startsWith(body.dataset.login)) p.append(loginLink());
      parts.push(p);
    }
    if (mine.length) {
      if (report && report.user === null) {
        const p = paragraph(
          "Your session has ended: log in to send " +
            plural(mine.length, "the session", "sessions") + " saved on this phone. "
        );
        p.append(loginLink());
        parts.push(p);
      } else if (!isOnline() || !report || report.offline) {
        parts.push(paragraph(saved(mine.length) + " will be logged when you are back online."));
      } else {
        parts.push(paragraph(saved(mine.length) + " could not be sent yet; trying again later."));
      }
    }
    if (others.length) {
      parts.push(paragraph(
        saved(others.length) + " by another account " +
          (others.length === 1 ? "waits" : "wait") +
          " until that account logs in here again.",
        "message-warning"
      ));
    }
    status.replaceChildren(...parts);
  }

  function describe(entry) {
    const what = entry.label ? entry.label : "a session";
    return what + " at " + clock(new Date(entry.performed_at));
  }

  function refusedNotice(entry) {
    const p = paragraph("Not logged: " + describe(entry) + ". " + entry.error + " ", "message-warning");
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "link-button";
    dismiss.textContent = "Dismiss";
    dismiss.addEventListener("click", async () => {
      await Queue.remove(entry.client_id);
      show(null);
    });
    p.append(dismiss);
    return p;
  }

  function logForm(element) {
    return element && element.closest ? element.closest("form[data-offline-log]") : null;
  }

  // A one-tap log: without a connection (or on a kept copy, whose CSRF token may be stale)
  // it is saved here instead of sent; htmx and the browser never see it.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-log")) return;
      if (isOnline() && !isKeptCopy) return;
      event.preventDefault();
      event.stopPropagation();
      saveLog(form);
    },
    true
  );

  // Online, but the request failed or stalled: save it with the same one-time id. Anything
  // else that needs the server (a refresh, a form that loads when opened) says so.
  for (const name of ["htmx:sendError", "htmx:timeout"]) {
    document.addEventListener(name, (event) => {
      const form = logForm(event.detail.elt);
      if (form) {
        saveLog(form);
      } else {
        say(
          document.getElementById("offline-status"),
          "That needs a connection: try again once you are back online.",
          "message-warning"
        );
      }
    });
  }

  // A refused one-tap log is said in words, where the log's status goes.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const form = logForm(event.detail.requestConfig && event.detail.requestConfig.elt);
    const xhr = event.detail.xhr;
    if (!form || xhr.status < 400) return;
    event.detail.shouldSwap = false;
    event.detail.isError = false;
    let text = "The server could not log it (" + xhr.status + "). Reload the page and try again.";
    if (xhr.status === 404) text = "This routine no longer exists: reload the page.";
    if (xhr.status === 403) text = "Your session has ended: log in again, then log it.";
    try {
      const answer = JSON.parse(xhr.responseText);
      if (answer && answer.error) text = answer.error;
    } catch (error) {
      // Not JSON: keep the sentence above.
    }
    say(statusFor(form), text, "message-warning");
  });

  // ---- Logging out -------------------------------------------------------------------

  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-logout")) return;
      event.preventDefault();
      let left = [];
      try {
        if (isOnline()) await flush();
        left = (await Queue.all()).filter((entry) => entry.state === Queue.WAITING);
      } catch (error) {
        // The store cannot be read: nothing is known to be waiting.
      }
      if (left.length) warnBeforeLogout(form, left);
      else logOut(form);
    },
    true
  );

  // Once the server confirms, the worker deletes every cache and saved log and unregisters
  // (Clear-Site-Data asks the browser for the same). Offline the logout is not sent, and
  // nothing is lost.
  function logOut(form) {
    form.submit();
  }

  function warnBeforeLogout(form, left) {
    const warning = document.getElementById("logout-warning");
    if (!warning) return;
    const others = left.filter((entry) => entry.user !== me).length;
    const why = !isOnline()
      ? "you are offline"
      : others
        ? "they belong to another account"
        : "the server could not be reached";
    const n = left.length;
    const text =
      plural(n, "A session", "sessions") + " saved on this phone " +
      (n === 1 ? "is" : "are") + " not logged yet (" + why + "). " +
      "Logging out deletes " + (n === 1 ? "it" : "them") + " from this phone; stay logged in " +
      "and " + (n === 1 ? "it is" : "they are") + " logged once " +
      (others ? "that account logs in here again." : "you are back online.");
    const stay = document.createElement("button");
    stay.type = "button";
    stay.textContent = "Stay logged in";
    stay.addEventListener("click", () => {
      warning.hidden = true;
      warning.replaceChildren();
    });
    const leave = document.createElement("button");
    leave.type = "button";
    leave.className = "link-button";
    leave.textContent = "Log out and delete " + (n === 1 ? "it" : "them");
    leave.addEventListener("click", () => logOut(form));
    const actions = document.createElement("p");
    actions.className = "actions";
    actions.append(stay, " ", leave);
    warning.replaceChildren(paragraph(text, "message-warning"), actions);
    warning.hidden = false;
    stay.focus();
  }

  // ---- Wiring --------------------------------------------------------------------------

  body.addEventListener("sessions-changed", () => (sessionsChanged = true));
  // A one-tap log's answer carries the changed parts itself (no refresh follows).
  body.addEventListener("sessions-shown", () => (sessionsChanged = true));
  // Leaving the app: keep the page as it is now, not as it first loaded.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && sessionsChanged) {
      sessionsChanged = false;
      keepThisPage();
    }
  });
  window.addEventListener("online", () => {
    assumeOffline = false;
    showBanner();
    flush();
  });
  window.addEventListener("offline", () => show(null));

  if (isKeptCopy) {
    freshOneTimeIds();
    showBanner();
  }
  // After the page has loaded and settled: registering the worker and opening the queue's
  // database are long tasks a person reading the page need not wait behind.
  function whenIdle(work) {
    const later = () =>
      "requestIdleCallback" in window
        ? requestIdleCallback(work, { timeout: 2000 })
        : setTimeout(work, 0);
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later, { once: true });
  }
  whenIdle(() => {
    startWorker();
    if (isOnline() && me) flush();
    else show(null);
  });
})();
