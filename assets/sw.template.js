// The service worker: precaches every file of one build and serves the app offline.
// scripts/postbuild.mjs fills in this build's cache version, its file list and each file's
// SHA-256 (the three constants below). Tested in e2e/offline.test.mjs and e2e/sw-faults.test.mjs.
//
// A build's files are only consistent with the same build's other files: an index.html names
// hashed files, and report.json (an unhashed name, fetched the first time a page needs it) must
// match the wasm that reads it. So:
// - Install fills this build's cache `predictor-<version>` past the HTTP cache
//   (`cache: "reload"`) and checks every file's integrity: a missing file, a dropped connection
//   or a deploy changing under the install fails it (and its cache is deleted); the worker
//   already active then keeps serving its own build. Nothing fetched at run time is written
//   into a cache (a new deploy's index.html stored as "/" in an old cache would name files
//   that cache lacks): only install, and the refill below, store files.
// - Navigations go to the network first (a reload shows a new deploy at once, even before its
//   worker installed); offline, this build's cached index.html answers every route.
// - Each open page is recorded with the digest of the index.html it got ("/__page/<client id>"
//   entries in the cache of the worker that served it; a new worker copies the records of the
//   pages it takes over into its own cache). A page's other requests are answered from the
//   cache of the build whose index.html it got, then from the network; a page of a build no
//   cache holds goes to the network first, then to this build's cache. So a tab left open across
//   a deploy keeps its own report.json after the new worker took over.
// - A new worker takes over at once (skipWaiting, claim). A build's cache is deleted once it is
//   older than the active worker's and no open page uses it. If this build's cache disappears
//   (site data cleared, worker kept), the next page load fills it again.
// Limits: a page no worker served (the first visit, a hard reload) is taken as the build of
// the worker that takes it over; a page of a build that no cache holds depends on the network
// for its files.
const VERSION = __VERSION__;
const CACHE = `predictor-${VERSION}`;
const PRECACHE = __PRECACHE__;
const INTEGRITY = __INTEGRITY__;
const PAGE = "/__page/";

function precache() {
  const requests = PRECACHE.map((url) => new Request(url, { cache: "reload", integrity: INTEGRITY[url] }));
  return caches
    .open(CACHE)
    .then((cache) => cache.addAll(requests)) // all or nothing
    .catch((error) => caches.delete(CACHE).then(() => Promise.reject(error)));
}

// This build's cache filled again if site data was cleared with this worker kept (one fill at
// a time). Not when another build's cache is there: this worker may be the one being replaced.
let filling = null;
async function refill() {
  if ((await builds()).some((build) => build.digest)) return;
  filling ??= precache().finally(() => (filling = null));
  return filling;
}

async function sha256(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return `sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}`;
}

// Every build cache, oldest first, with the digest of its index.html (none while it is filled).
const indexDigests = new Map(); // a version's files never change
async function builds() {
  const names = (await caches.keys()).filter((name) => name.startsWith("predictor-"));
  return Promise.all(
    names.map(async (name) => {
      if (!indexDigests.has(name)) {
        const index = await caches.match("/", { cacheName: name });
        if (!index) return { name };
        indexDigests.set(name, await sha256(index));
      }
      return { name, digest: indexDigests.get(name) };
    }),
  );
}

// The digest of the index.html each page got: in memory from its navigation until the page is
// open (listed by clients.matchAll), and recorded in some build's cache.
const recording = new Map();
async function digestOf(clientId) {
  if (!clientId) return undefined;
  if (recording.has(clientId)) return recording.get(clientId);
  return (await caches.match(PAGE + clientId))?.text();
}

// Into this build's cache only while it exists (a newer worker may have just deleted it).
async function record(clientId, digest) {
  if (await caches.has(CACHE)) await (await caches.open(CACHE)).put(PAGE + clientId, new Response(digest));
}

// The pages this worker now controls are recorded in its cache (a page no worker served, such
// as the first visit that registered this worker, is taken as this build's); records of closed
// pages go, and so does every older build's cache that no open page uses.
async function tidy({ adopt = false } = {}) {
  const open = (await self.clients.matchAll({ type: "window", includeUncontrolled: true })).map((c) => c.id);
  for (const id of open) recording.delete(id);
  const ids = new Set([...open, ...recording.keys()]);
  const used = new Set();
  for (const id of ids) {
    let digest = await digestOf(id);
    if (adopt && !(await caches.match(PAGE + id, { cacheName: CACHE }))) {
      digest ??= INTEGRITY["/"];
      await record(id, digest);
    }
    used.add(digest);
  }
  const all = await builds();
  const mine = all.findIndex((build) => build.name === CACHE);
  for (const [index, build] of all.entries()) {
    const cache = await caches.open(build.name);
    for (const key of await cache.keys()) {
      const path = new URL(key.url).pathname;
      if (path.startsWith(PAGE) && !ids.has(path.slice(PAGE.length))) await cache.delete(key);
    }
    if (index < mine && build.digest && !used.has(build.digest)) await caches.delete(build.name);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim().then(() => tidy({ adopt: true })));
});

// A navigation: the network's page, or offline this build's; recorded with its digest.
function navigate(event) {
  const answer = fetch(event.request)
    .catch(() => caches.match("/", { cacheName: CACHE }))
    .then((response) => response ?? Response.error());
  const id = event.resultingClientId;
  if (id) {
    const digest = answer.then((response) => sha256(response.clone())).catch(() => undefined);
    recording.set(id, digest);
    event.waitUntil(
      refill()
        .catch(() => {}) // offline, or a newer deploy on the server: the next load tries again
        .then(() => digest)
        .then((value) => value && record(id, value))
        .then(() => tidy()),
    );
  }
  return answer;
}

// Any other request: from the cache of the page's build, else the network, else this build's.
async function respond(request, clientId) {
  const digest = await digestOf(clientId);
  const build = digest && (await builds()).find((b) => b.digest === digest);
  const cached = build && (await caches.match(request, { cacheName: build.name }));
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    return (await caches.match(request, { cacheName: CACHE })) ?? Promise.reject(error);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(navigate(event));
  else event.respondWith(respond(request, event.clientId));
});
