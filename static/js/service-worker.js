// Facetrack's service worker, imported by /sw.js after its configuration (self.FACETRACK).
//
// - Static files: kept at install in a cache named after the version, served from it.
// - Pages: from the network; the last good copy of each is kept, and shown with a banner
//   when the network does not answer. Never kept: photos and photo pages (private), any
//   answer marked no-store, log-in and admin pages, redirects, errors.
// - Logs saved offline (log-queue.js): sent by Background Sync where the browser has it.
// - Logging out: once the server confirms, every cache and the saved logs are deleted and
//   the worker unregisters itself (the Clear-Site-Data header asks the browser for the same).
(function () {
  "use strict";

  const config = self.FACETRACK;
  const Queue = self.FacetrackLogQueue;
  const STATIC_CACHE = "static-" + config.version;
  // Pages link to this version's static files: they go when it goes.
  const PAGE_CACHE = "pages-" + config.version;
  const STORED_AT = "X-Facetrack-Stored-At";
  // A phone on a bad connection: after this long, show the kept copy instead of waiting.
  const SLOW_NETWORK_MS = 8000;
  let loggedOut = false;

  self.addEventListener("install", (event) => {
    event.waitUntil(
      caches
        .open(STATIC_CACHE)
        .then((cache) => cache.addAll(config.precache))
        .then(() => self.skipWaiting())
    );
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil(
      (async () => {
        const names = await caches.keys();
        await Promise.all(
          names
            .filter((name) => name !== STATIC_CACHE && name !== PAGE_CACHE)
            .map((name) => caches.delete(name))
        );
        if (self.registration.navigationPreload) {
          await self.registration.navigationPreload.enable();
        }
        await self.clients.claim();
      })()
    );
  });

  self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (loggedOut || url.origin !== self.location.origin) return;
    if (request.mode === "navigate") {
      if (request.method === "GET") {
        event.respondWith(page(event, url));
      } else if (isPlainForm(request)) {
        event.respondWith(sendForm(event, url));
      }
      return;
    }
    if (request.method !== "GET") return;
    if (url.pathname.startsWith(config.staticPrefix)) {
      event.respondWith(staticFile(request));
    } else if (url.pathname.startsWith(config.photos) && request.destination === "image") {
      event.respondWith(photo(request));
    }
  });

  // Uploads (photos, archives) go straight to the network, untouched.
  function isPlainForm(request) {
    const type = request.headers.get("Content-Type") || "";
    return type.startsWith("application/x-www-form-urlencoded");
  }

  async function staticFile(request) {
    const cache = await caches.open(STATIC_CACHE);
    const kept = await cache.match(request);
    if (kept) return kept;
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  }

  function neverKept(url) {
    return config.neverKeep.some((prefix) => url.pathname.startsWith(prefix));
  }

  function keepable(url, response) {
    if (response.status !== 200 || response.type !== "basic" || response.redirected) {
      return false;
    }
    if (neverKept(url)) return false;
    const type = response.headers.get("Content-Type") || "";
    const caching = response.headers.get("Cache-Control") || "";
    // Every logged-in page says `private`: no shared cache may keep it, but this one is the
    // person's own, on their phone. Only no-store (photo pages) keeps a page out of it.
    return type.startsWith("text/html") && !/no-store/i.test(caching);
  }

  async function keep(url, response) {
    const headers = new Headers(response.headers);
    headers.set(STORED_AT, new Date().toISOString());
    const copy = new Response(await response.blob(), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(url.href, copy);
  }

  function fromNetwork(event) {
    return Promise.resolve(event.preloadResponse).then(
      (preloaded) => preloaded || fetch(event.request)
    );
  }

  function page(event, url) {
    const network = fromNetwork(event);
    // Copied before the browser reads the answer; kept even when a slow answer came too late
    // to be shown.
    event.waitUntil(
      network
        .then((response) => (keepable(url, response) ? keep(url, response.clone()) : null))
        .catch(() => null)
    );
    return answer(network, url);
  }

  async function answer(network, url) {
    const cache = await caches.open(PAGE_CACHE);
    const kept = await cache.match(url.href, { ignoreVary: true });
    try {
      if (!kept) return await network;
      return await Promise.race([network, slow(SLOW_NETWORK_MS)]);
    } catch (error) {
      if (kept) return keptCopy(kept, error && error.slow ? "slow" : "offline");
      return offlinePage(url);
    }
  }

  function slow(ms) {
    return new Promise((resolve, reject) => {
      setTimeout(() => reject({ slow: true }), ms);
    });
  }

  // The kept copy, marked for offline.js: it shows the banner and gives the one-tap forms
  // fresh one-time ids (the kept ones may have been used since).
  async function keptCopy(kept, reason) {
    const html = await kept.text();
    const storedAt = kept.headers.get(STORED_AT) || "";
    const marked = html
      .replace("<html", '<html data-kept-at="' + storedAt + '" data-kept-because="' + reason + '"')
      // The browser fetches the manifest itself, past this worker: offline it would only fail.
      .replace(/<link rel="manifest"[^>]*>/, "");
    const headers = new Headers(kept.headers);
    headers.delete(STORED_AT);
    return new Response(marked, { status: 200, headers });
  }

  const POLICY =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  function offlinePage(url, sending) {
    const isPhoto = url.pathname.startsWith(config.photos);
    const text = sending
      ? "You are offline, so this was not sent. Go back and send it again once you are online."
      : isPhoto
        ? "Photos stay on the server, never on this phone: they are private. " +
          "Open this page again once you are online."
        : "This page was not kept on this phone. Open it again once you are online.";
    const html =
      '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">' +
      "<title>Offline · Facetrack</title>" +
      '<link rel="stylesheet" href="' + config.stylesheet + '">' +
      '<link rel="icon" href="' + config.icon + '" type="image/svg+xml"></head>' +
      '<body><main id="main"><h1>You are offline</h1><p>' + text + "</p>" +
      '<p><a href="' + config.home + '">Open Today</a> (the copy kept on this phone)</p>' +
      "</main></body></html>";
    return new Response(html, {
      status: 200,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": POLICY,
        "Cache-Control": "no-store",
      },
    });
  }

  async function sendForm(event, url) {
    let response;
    try {
      response = await fetch(event.request);
    } catch (error) {
      return offlinePage(url, true);
    }
    if (url.pathname === config.logout && response.type === "opaqueredirect") {
      loggedOut = true;
      event.waitUntil(forgetEverything());
    }
    return response;
  }

  async function forgetEverything() {
    const names = await caches.keys();
    await Promise.all(names.map((name) => caches.delete(name)));
    await Queue.destroy();
    await self.registration.unregister();
  }

  // A photo is never kept; offline, a plain placeholder instead of a broken image.
  async function photo(request) {
    try {
      return await fetch(request);
    } catch (error) {
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3">' +
        '<rect width="4" height="3" fill="#c9b8bf"/></svg>';
      return new Response(svg, {
        headers: { "Content-Type": "image/svg+xml", "Cache-Control": "no-store" },
      });
    }
  }

  self.addEventListener("sync", (event) => {
    if (event.tag !== Queue.SYNC_TAG) return;
    event.waitUntil(
      Queue.flush(config.identity).then(async (report) => {
        await tell({ type: "logs-sent", report });
        // Rejecting asks the browser to try again later; a logged-out person's logs wait
        // for their next page load instead.
        if (report.offline) throw new Error("offline: logs still waiting");
      })
    );
  });

  async function tell(message) {
    const windows = await self.clients.matchAll({ type: "window" });
    windows.forEach((client) => client.postMessage(message));
  }

  self.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type === "keep-page") {
      event.waitUntil(keepPage(data.url));
    } else if (data.type === "forget-pages") {
      event.waitUntil(caches.delete(PAGE_CACHE));
    }
  });

  // The page a client shows, fetched again to be kept: the first visit (before this worker
  // controlled it), or a page whose sessions changed since it loaded.
  async function keepPage(href) {
    const url = new URL(href, self.location.origin);
    // Not even fetched again: a second GET of a passkey page would replace the challenge
    // that the form already shown must answer.
    if (url.origin !== self.location.origin || neverKept(url)) return;
    url.hash = "";
    try {
      // Said as such, so that the server hands out nothing meant for the person's eyes once
      // (an Undo's offer) to a copy nobody is looking at.
      const response = await fetch(url.href, {
        credentials: "same-origin",
        headers: { [config.keepHeader]: "1" },
      });
      if (keepable(url, response)) await keep(url, response);
    } catch (error) {
      // Offline: the copy kept before stays.
    }
  }
})();
