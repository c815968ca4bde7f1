// Reminders by push, inside the service worker: loaded by /sw.js with importScripts.
// Shows what the server sent (tracker/reminders/push.py: title, body, url, tag); a tap opens
// the dashboard, in the installed app when there is one.
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
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === target.href && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(target.href);
    })
  );
});
