// One-tap logs saved on the phone while offline, and how they are sent later.
// Used by the pages (offline.js) and by the service worker (importScripts), so that either
// can send them: on the `online` event, on the next page load, or by Background Sync.
//
// A saved log keeps the one-time id its form carried (or one made here), so that however often
// it is sent, the server logs it once; the id of the person who made it, so that it is sent
// only while they are logged in on this device; and the moment of the tap, so that a log sent
// hours later still counts on the right day.
(function (scope) {
  "use strict";

  const DB_NAME = "facetrack";
  const STORE = "logs";
  const WAITING = "waiting";
  // The server refused it (its routine was deleted, a damaged id): kept until the person
  // has read why, never sent again.
  const REFUSED = "refused";
  const SYNC_TAG = "facetrack-logs";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      request.onsuccess = () => {
        const db = request.result;
        // A logout deletes the database: an open connection here must not hold that up.
        db.onversionchange = () => db.close();
        resolve(db);
      };
      request.onerror = () => reject(request.error);
    });
  }

  // Reading must not create the database: after a logout nothing of it may come back.
  async function exists() {
    if (!indexedDB.databases) return true;
    const databases = await indexedDB.databases();
    return databases.some((db) => db.name === DB_NAME);
  }

  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => {
        db.close();
        resolve(request ? request.result : undefined);
      };
      transaction.onerror = transaction.onabort = () => {
        db.close();
        reject(transaction.error);
      };
    });
  }

  async function all() {
    if (!(await exists())) return [];
    const entries = await run("readonly", (store) => store.getAll());
    return entries.sort((a, b) => (a.performed_at < b.performed_at ? -1 : 1));
  }

  function put(entry) {
    return run("readwrite", (store) => store.put(entry));
  }

  function remove(clientId) {
    return run("readwrite", (store) => store.delete(clientId));
  }

  function destroy() {
    return new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }

  async function refusal(response) {
    if (response.status === 404) {
      return "Its routine was deleted meanwhile, so it could not be logged.";
    }
    try {
      const body = await response.json();
      if (body && body.error) return body.error;
    } catch (error) {
      // Not the JSON the app sends: say what the server said.
    }
    return "The server refused it (" + response.status + ").";
  }

  // Send every waiting log of the person logged in now, one at a time.
  async function send(identityUrl) {
    const report = { sent: [], refused: [], waiting: [], user: undefined, offline: false };
    const waiting = (await all()).filter((entry) => entry.state === WAITING);
    if (!waiting.length) return report;
    let identity;
    try {
      const response = await fetch(identityUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error("identity: " + response.status);
      identity = await response.json();
    } catch (error) {
      report.offline = true;
      report.waiting = waiting;
      return report;
    }
    report.user = identity.user;
    for (const entry of waiting) {
      if (!identity.user || entry.user !== identity.user) {
        report.waiting.push(entry);
        continue;
      }
      let response;
      try {
        response = await fetch(entry.url, {
          method: "POST",
          credentials: "same-origin",
          // A log-in page instead of an answer means the session ended meanwhile: keep it.
          redirect: "manual",
          // HX-Request: the app answers an in-page log with its status, not a redirect.
          headers: { "X-CSRFToken": identity.csrf_token, "HX-Request": "true" },
          body: new URLSearchParams([
            ["client_id", entry.client_id],
            ["performed_at", entry.performed_at],
            // Logs saved before a form could say more carry no other fields.
            ...(entry.fields || []),
          ]),
        });
      } catch (error) {
        report.offline = true;
        report.waiting.push(entry);
        continue;
      }
      if (response.ok) {
        await remove(entry.client_id);
        report.sent.push(entry);
      } else if (response.status === 400 || response.status === 404) {
        entry.state = REFUSED;
        entry.error = await refusal(response);
        await put(entry);
        report.refused.push(entry);
      } else {
        // Logged out meanwhile, a stale CSRF cookie, a server in trouble: try again later.
        report.waiting.push(entry);
      }
    }
    return report;
  }

  // One sender at a time across pages and the worker; a second would find nothing left,
  // and even if it did send, the one-time id would make the server log it once.
  function flush(identityUrl) {
    const locks = scope.navigator && scope.navigator.locks;
    if (!locks) return send(identityUrl);
    return locks.request("facetrack-logs", () => send(identityUrl));
  }

  scope.FacetrackLogQueue = {
    WAITING,
    REFUSED,
    SYNC_TAG,
    all,
    put,
    remove,
    destroy,
    flush,
  };
})(self);
