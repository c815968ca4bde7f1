// Reminders by push, inside the service worker: /sw.js imports this after
// service-worker.js (tracker/webapp.py's WORKER_SCRIPTS, so a change here is a new worker).
// Shows what the server sent (tracker/reminders/push.py: title, body, url, tag); a tap opens
// the dashboard, in the installed app when there is one.
(function () {
  "use strict";

  self.addEventListener("push", function (event) {
    var data = {};
    try {
      data = event.data ? event.data.json() : {};
    } catch (e) {
      data = {};
    }
    event.waitUntil(
      self.registration.showNotification(data.title || "Facetrack", {
        body: data.body || "",
        // One reminder at a time: a newer one replaces the last.
        tag: data.tag || "facetrack-reminder",
        data: { url: data.url || "/" },
      })
    );
  });

  self.addEventListener("notificationclick", function (event) {
    event.notification.close();
    var url = (event.notification.data && event.notification.data.url) || "/";
    var target = new URL(url, self.location.origin);
    // Only ever into this app.
    if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
    event.waitUntil(openOrReuse(target.href));
  });

  // The app's own window when one is open (the installed app's, on a phone), else a new one.
  async function openOrReuse(href) {
    var windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    var same = windows.find(function (w) { return w.url === href; });
    if (same) return focus(same);
    var ours = windows.find(function (w) {
      return new URL(w.url).origin === self.location.origin && "navigate" in w;
    });
    if (ours) {
      try {
        return focus((await ours.navigate(href)) || ours);
      } catch (e) {
        // A window this worker does not control cannot be moved: open one instead.
      }
    }
    return self.clients.openWindow(href);
  }

  function focus(client) {
    return client.focus().catch(function () { return client; });
  }
})();
