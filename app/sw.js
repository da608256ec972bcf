// The service worker: keeps the pages people read available offline.
// `cargo xtask build` fills in VERSION and ASSETS (the reader's hashed files).
//
// - The reader's files (hashed, immutable) and the offline page are cached at install, the
//   studio's when first loaded: cache first.
// - Pages (navigations) and the search's results region: network first, and every page read is
//   kept (the most recent READ_LIMIT). Offline: the page as kept; for a case, its page in any
//   language kept; else the offline page, in the reader's language when it was cached.
// - Cases saved with "Save for offline" (every language of the case's page) stay until removed.
// - /api/vocabulary: stale while revalidate, so the submission form works offline.
// - Everything else goes to the network.

const VERSION = "{{version}}";
const ASSETS = {{assets}};
const APP = `app-${VERSION}`;
const PAGES = "pages-read";
const SAVED = "cases-saved";
const READ_LIMIT = 100;
const OFFLINE = "/offline";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(APP).then((cache) => cache.addAll([OFFLINE, ...ASSETS])).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      // Older versions' app files, and the JSON cases the app read before pages came as HTML.
      .then((keys) => Promise.all(keys.filter((k) => (k.startsWith("app-") && k !== APP) || k === "cases-read").map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function trim(cache, limit) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(key);
}

// Pages worth keeping: the reader's pages and the submission form (not the review).
function keeps(url) {
  return url.pathname === "/" || url.pathname.startsWith("/case/") || url.pathname === "/submit" || url.pathname === "/fragment/results";
}

async function kept(request) {
  return (await caches.match(request, { cacheName: SAVED })) || (await caches.match(request, { cacheName: PAGES }));
}

// A case's page in another language (or for another reader) is better than nothing.
async function sameCase(url) {
  if (!url.pathname.startsWith("/case/")) return undefined;
  for (const name of [SAVED, PAGES]) {
    const cache = await caches.open(name);
    for (const key of await cache.keys()) {
      if (new URL(key.url).pathname === url.pathname) return cache.match(key);
    }
  }
  return undefined;
}

async function networkFirst(request, fallback) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.ok && keeps(url)) {
      const cache = await caches.open(PAGES);
      await cache.delete(request);
      await cache.put(request, response.clone());
      trim(cache, READ_LIMIT);
    }
    return response;
  } catch (error) {
    const found = (await kept(request)) || (await sameCase(url)) || (fallback && (await caches.match(fallback)));
    if (found) return found;
    throw error;
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

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(APP).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, OFFLINE));
  } else if (url.pathname === "/fragment/results") {
    // Offline and never seen: the island says so itself.
    event.respondWith(networkFirst(request, null));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === "/api/vocabulary") {
    event.respondWith(staleWhileRevalidate(request));
  } else if (url.pathname.startsWith("/photos/")) {
    // A saved case's photos, offline; others are not kept (they are large).
    event.respondWith(fetch(request).catch(async (error) => (await caches.match(request, { cacheName: SAVED })) || Promise.reject(error)));
  }
});
