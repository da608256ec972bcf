// The service worker: keeps the app and the case studies people read available offline.
// `cargo xtask build` fills in VERSION and ASSETS (the reader bundle's hashed files).
//
// - The reader's files (hashed, immutable) are cached at install, the studio's when first
//   loaded: cache first.
// - Pages (navigations): network first; offline, the cached shell of that bundle.
// - /api/cases/…: network first, and every case read is kept (the most recent READ_LIMIT);
//   cases saved with "Save for offline" are kept until removed.
// - /api/vocabulary: stale while revalidate, so the submission form works offline.
// - Everything else goes to the network.

const VERSION = "{{version}}";
const ASSETS = {{assets}};
const APP = `app-${VERSION}`;
const READ = "cases-read";
const SAVED = "cases-saved";
const READ_LIMIT = 100;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(APP).then((cache) => cache.addAll(["/", ...ASSETS])).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("app-") && k !== APP).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function shellFor(url) {
  return url.pathname === "/submit" || url.pathname === "/admin" ? "/submit" : "/";
}

async function networkFirstPage(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.ok && (url.pathname === "/" || url.pathname === "/submit")) {
      const cache = await caches.open(APP);
      cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const cached = (await caches.match(request)) || (await caches.match(shellFor(url)));
    if (cached) return cached;
    throw error;
  }
}

async function trim(cache, limit) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(key);
}

async function networkFirstCase(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(READ);
      await cache.delete(request);
      await cache.put(request, response.clone());
      trim(cache, READ_LIMIT);
    }
    return response;
  } catch (error) {
    const cached = (await caches.match(request, { cacheName: SAVED })) || (await caches.match(request, { cacheName: READ }));
    if (cached) return cached;
    // The same case in another interface language is better than nothing.
    const url = new URL(request.url);
    for (const name of [SAVED, READ]) {
      const cache = await caches.open(name);
      for (const key of await cache.keys()) {
        if (new URL(key.url).pathname === url.pathname) return cache.match(key);
      }
    }
    return new Response(JSON.stringify({ error: "offline: this case study was not saved on this device" }), {
      status: 503,
      headers: { "content-type": "application/json" },
    });
  }
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(APP);
  const cached = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => cached);
  return cached || fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              caches.open(APP).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  } else if (url.pathname.startsWith("/api/cases/")) {
    event.respondWith(networkFirstCase(request));
  } else if (url.pathname === "/api/vocabulary") {
    event.respondWith(staleWhileRevalidate(request));
  } else if (url.pathname.startsWith("/api/search")) {
    event.respondWith(
      fetch(request).catch(
        () => new Response(JSON.stringify({ error: "offline" }), { status: 503, headers: { "content-type": "application/json" } }),
      ),
    );
  }
});

// "Save for offline" from a case page: keep the case in every language, and its QR code.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "save-case" && Array.isArray(data.urls)) {
    event.waitUntil(
      caches
        .open(SAVED)
        .then((cache) => cache.addAll(data.urls))
        .then(() => event.source && event.source.postMessage({ type: "saved", slug: data.slug }))
        .catch(() => event.source && event.source.postMessage({ type: "save-failed", slug: data.slug })),
    );
  }
});
