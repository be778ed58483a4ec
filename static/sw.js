// Hipapp's service worker, served at /sw.js so that it may control every page. A plain
// script (no build step); registered from every page by static/js/offline.js.
//
// Three concerns, each to its own events:
// - Reminders (push, notificationclick): show a reminder, and open the session when tapped.
// - Offline pages (install, activate, fetch of GETs): this release's static files are kept at
//   install (their hashed names, from /offline/files.js); pages are fetched network-first and
//   the person's today, player, log pages and the catalog are kept (the list comes from
//   /offline/pages/), so they open with no signal; a page never kept shows /offline/.
// - The offline queue (fetch of the two save POSTs, sync, message): a session saved with no
//   signal is kept in IndexedDB with its token and sent later, oldest first, to
//   /today/session/<drill>/. The token makes a resend harmless, so each is saved once; a
//   session the server refuses stays, with the server's reason, until fixed or discarded.
//
// Privacy: pages and sessions are filed under the person they belong to (the Hipapp-Person
// header, an opaque key). When another person signs in on this browser, or on sign-out, the
// worker drops what it kept (sign-out also sends Clear-Site-Data).

importScripts("/offline/files.js"); // self.HIPAPP_KEEP: { version, files, offline }

const KEEP = self.HIPAPP_KEEP;
const STATIC_CACHE = `hipapp-static-${KEEP.version}`;
const PAGES_CACHE = "hipapp-pages-"; // + the person's key
const PAGES_URL = "/offline/pages/";
const SEND_URL = (drill) => `/today/session/${drill}/`;
const SAVE_PATHS = [/^\/log\/([\w-]+)\/$/, /^\/today\/session\/([\w-]+)\/$/];
const LOGOUT_PATH = "/accounts/logout/";
const REFRESH_MS = 60 * 60 * 1000; // kept pages are fetched again at most hourly, and after sends
const SENT_KEPT_MS = 14 * 24 * 60 * 60 * 1000; // tokens of sent sessions, for pages kept that long
const SYNC_TAG = "hipapp-send";
const FALLBACK_URL = "/today/";
const WAITING = "Saved on this phone; it will be sent when you are back online";

// --- Reminders ------------------------------------------------------------------------------

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data.text() };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "Hipapp", {
      body: message.body || "",
      tag: message.tag,
      icon: message.icon,
      data: { url: message.url || FALLBACK_URL },
    }),
  );
});

// Opens our own pages only: a URL from elsewhere falls back to today's page.
function ownUrl(url) {
  const target = new URL(url || FALLBACK_URL, self.location.origin);
  return target.origin === self.location.origin ? target.href : new URL(FALLBACK_URL, self.location.origin).href;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = ownUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === url && "focus" in client);
      return open ? open.focus() : self.clients.openWindow(url);
    }),
  );
});

// --- IndexedDB: the queue, the tokens sent, and what the worker knows ------------------------

let database = null;

function db() {
  database ??= new Promise((resolve, reject) => {
    const opening = indexedDB.open("hipapp", 1);
    opening.onupgradeneeded = () => {
      const store = opening.result;
      // Sessions waiting: { id, token, person, drill, fields, queuedAt, refused }, oldest first.
      store.createObjectStore("queue", { keyPath: "id", autoIncrement: true }).createIndex("token", "token", { unique: true });
      store.createObjectStore("sent", { keyPath: "token" }); // { token, at }
      store.createObjectStore("meta"); // "state": { owner, current, pages, drills, refreshed }
    };
    opening.onsuccess = () => {
      // Deleted (Clear-Site-Data on sign-out) or closed by the browser: open anew next time.
      opening.result.onversionchange = () => {
        opening.result.close();
        database = null;
      };
      opening.result.onclose = () => {
        database = null;
      };
      resolve(opening.result);
    };
    opening.onerror = () => {
      database = null;
      reject(opening.error);
    };
  });
  return database;
}

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

// Run work(stores) in one transaction; resolves with its result once committed.
async function transaction(names, mode, work) {
  const tx = (await db()).transaction(names, mode);
  const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
  const result = await work(stores);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onabort = tx.onerror = () => reject(tx.error);
  });
  return result;
}

const EMPTY_STATE = { owner: null, current: null, pages: [], drills: {}, refreshed: 0 };

async function readState() {
  const state = await transaction(["meta"], "readonly", ({ meta }) => done(meta.get("state")));
  return { ...EMPTY_STATE, ...state };
}

// Change what the worker knows in one transaction: change(state) gives the new state, or null
// to leave it. Resolves with the state as it now is.
const updateState = (change) =>
  transaction(["meta"], "readwrite", async ({ meta }) => {
    const state = { ...EMPTY_STATE, ...(await done(meta.get("state"))) };
    const next = change(state);
    if (next) meta.put(next, "state");
    return next || state;
  });

const queued = () => transaction(["queue"], "readonly", ({ queue }) => done(queue.getAll()));

// --- Whose pages these are ------------------------------------------------------------------

// A page answered for `person` (an opaque key; null for someone signed out). Another person
// signed in on this browser: everything kept for the one before goes.
async function adopt(person) {
  let before = null;
  await updateState((state) => {
    if (person && state.owner && person !== state.owner) {
      before = state.owner;
      return { ...EMPTY_STATE, owner: person, current: person };
    }
    if (state.current === person && (!person || state.owner === person)) return null;
    return { ...state, owner: person || state.owner, current: person };
  });
  if (before) await forget(before);
}

// Drop the pages kept for `owner` and every session waiting or sent from this browser.
async function forget(owner) {
  if (owner) await caches.delete(PAGES_CACHE + owner);
  await transaction(["queue", "sent"], "readwrite", ({ queue, sent }) => Promise.all([done(queue.clear()), done(sent.clear())]));
}

const personOf = (response) => response.headers.get("Hipapp-Person");

// --- Install and activate: this release's static files and the offline page -----------------

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      // The offline page without cookies: the same for everyone, with nobody's name on it.
      .then((cache) => cache.addAll([...KEEP.files, new Request(KEEP.offline, { credentials: "omit" })]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("hipapp-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

// --- Fetch ----------------------------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET") {
    if (request.mode === "navigate") event.respondWith(page(event));
    else if (url.pathname.startsWith("/static/") || KEEP.files.includes(url.pathname)) event.respondWith(staticFile(request));
    return;
  }
  if (request.method !== "POST") return;
  const drill = SAVE_PATHS.map((pattern) => url.pathname.match(pattern)).find(Boolean)?.[1];
  if (drill) event.respondWith(save(event, drill));
  else if (url.pathname === LOGOUT_PATH) event.respondWith(signOut(event));
  else if (request.mode === "navigate") event.respondWith(fetch(request).catch(() => offlinePage()));
});

async function staticFile(request) {
  const kept = await caches.match(request, { cacheName: STATIC_CACHE });
  return kept || fetch(request);
}

const offlinePage = () => caches.match(KEEP.offline, { cacheName: STATIC_CACHE });

// Network first: the page as it is now, kept if it is one of the person's; with no network,
// the copy kept, or the offline page.
async function page(event) {
  const url = new URL(event.request.url);
  let response;
  try {
    response = (await event.preloadResponse) || (await fetch(event.request));
  } catch {
    const state = await readState().catch(() => EMPTY_STATE);
    const kept = state.current && (await caches.match(url.href, { cacheName: PAGES_CACHE + state.current, ignoreVary: true }));
    return kept || offlinePage();
  }
  event.waitUntil(afterPage(url, response.clone()));
  return response;
}

async function afterPage(url, response) {
  // A redirect or a download (an export) says nothing of whose page this is.
  const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
  if (response.type !== "basic" || response.redirected || !html) return;
  const person = personOf(response);
  await adopt(person);
  if (!person) return;
  const state = await readState();
  if (response.status === 200 && state.pages.includes(url.pathname + url.search)) {
    await (await caches.open(PAGES_CACHE + person)).put(url.pathname + url.search, response);
  }
  await Promise.all([send(), state.refreshed + REFRESH_MS < Date.now() ? refresh() : null]);
}

// --- Keeping the person's pages -------------------------------------------------------------

// What the server says to keep for the person signed in, or null when offline or signed out.
async function askServer() {
  let response;
  try {
    response = await fetch(PAGES_URL, { credentials: "same-origin", redirect: "manual", cache: "no-store" });
  } catch {
    return null;
  }
  if (!response.ok || !(response.headers.get("Content-Type") || "").includes("application/json")) {
    return { person: null };
  }
  return response.json();
}

let refreshing = null;

// Fetch every page the person keeps (one at a time: a phone's connection, a small server) and
// drop the ones no longer on the list. Pages that answer for someone else are not kept.
function refresh() {
  refreshing ??= (async () => {
    const server = await askServer();
    if (!server || !server.person) return;
    await adopt(server.person);
    await updateState((state) => ({ ...state, pages: server.pages, drills: server.drills }));
    const cache = await caches.open(PAGES_CACHE + server.person);
    let missed = 0; // pages that did not come: offline again, or another person signed in
    for (const path of server.pages) {
      try {
        const response = await fetch(path, { credentials: "same-origin", headers: { "Hipapp-Keep": "1" } });
        if (response.ok && !response.redirected && personOf(response) === server.person) await cache.put(path, response);
        else missed += 1;
      } catch {
        missed += 1;
      }
    }
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      if (!server.pages.includes(url.pathname + url.search)) await cache.delete(request);
    }
    // Whatever was kept stays; with pages missed, the next page load tries again.
    if (!missed) await updateState((state) => (state.owner === server.person ? { ...state, refreshed: Date.now() } : null));
    await tell({ type: "kept" });
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

// --- Saving with no signal ------------------------------------------------------------------

// A session saved from the log form, "Log as prescribed" or the player: sent if the network
// answers; kept on the phone if it does not.
async function save(event, drill) {
  const request = event.request;
  const copy = request.clone();
  try {
    const response = await fetch(request);
    event.waitUntil(send());
    return response;
  } catch {
    // No network: keep it below.
  }
  const waiting = await keep(drill, new URLSearchParams(await copy.text()));
  const message = `${WAITING} (${waiting} waiting).`;
  if (request.mode === "navigate") return Response.redirect(FALLBACK_URL, 303);
  return new Response(JSON.stringify({ saved: false, queued: true, waiting, message }), {
    status: 202,
    headers: { "Content-Type": "application/json" },
  });
}

function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// Put a session in the queue (a second one with the same token, a double tap, is the same
// session: the first stays). The number waiting.
async function keep(drill, body) {
  const state = await readState();
  const fields = Object.fromEntries(body);
  delete fields.csrfmiddlewaretoken; // a fresh one is sent with it
  if ("prescribed" in fields && !fields.day) fields.day = localDay(); // the day it was tapped
  const item = { token: fields.token || crypto.randomUUID(), person: state.owner, drill, fields, queuedAt: Date.now(), refused: null };
  const count = await transaction(["queue"], "readwrite", async ({ queue }) => {
    const same = await done(queue.index("token").getKey(item.token));
    if (same === undefined) queue.add(item);
    return done(queue.count());
  });
  await tell({ type: "queue" });
  if (self.registration.sync) self.registration.sync.register(SYNC_TAG).catch(() => {});
  return count;
}

let sending = null;
let again = null; // a send asked for while one runs: it runs once that one ends
let blocked = null; // why sending stopped: "offline", "signed-out", or null

// Send what waits, oldest first, once at a time. Resolves false when the network failed (so
// that Background Sync tries again later). Asked while a send runs, it sends again after it:
// the one running may have started just before the connection came back.
function send() {
  if (sending) {
    again ??= sending.then(() => {
      again = null;
      return send();
    });
    return again;
  }
  sending = (async () => {
    const items = (await queued()).filter((item) => !item.refused);
    if (!items.length) return true;
    const server = await askServer();
    blocked = !server ? "offline" : server.person ? null : "signed-out";
    if (blocked) return !server ? false : true;
    await adopt(server.person);
    let sent = 0;
    for (const item of items) {
      if (item.person !== server.person) continue;
      let response;
      try {
        response = await fetch(SEND_URL(item.drill), {
          method: "POST",
          body: new URLSearchParams(item.fields),
          headers: { Accept: "application/json", "X-CSRFToken": server.csrf },
          credentials: "same-origin",
          redirect: "manual",
        });
      } catch {
        blocked = "offline";
        break;
      }
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      const answer = json ? await response.json() : {};
      if (response.ok && answer.saved) {
        await settle(item);
        sent += 1;
      } else if (response.status === 400 || response.status === 404) {
        const refused = response.status === 404 ? { message: "This drill is no longer in the catalog, so it cannot be saved.", errors: {} } : { message: answer.message, errors: answer.errors || {} };
        await transaction(["queue"], "readwrite", ({ queue }) => done(queue.put({ ...item, refused })));
      } else {
        blocked = response.type === "opaqueredirect" || response.status === 403 ? "signed-out" : "offline";
        break;
      }
    }
    await tell({ type: "queue", sent });
    if (sent) await refresh(); // today and the player have changed
    return blocked !== "offline";
  })().finally(() => {
    sending = null;
  });
  return sending;
}

// Saved: out of the queue, and its token remembered so that a kept page shows a new one.
function settle(item) {
  const now = Date.now();
  return transaction(["queue", "sent"], "readwrite", async ({ queue, sent }) => {
    queue.delete(item.id);
    sent.put({ token: item.token, at: now });
    for (const old of await done(sent.getAll())) {
      if (old.at < now - SENT_KEPT_MS) sent.delete(old.token);
    }
  });
}

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    send().then((ok) => {
      if (!ok) throw new Error("offline"); // try again later
    }),
  );
});

// --- Sign-out -------------------------------------------------------------------------------

// Signed out: drop everything kept, after the answer (whose Clear-Site-Data has the browser
// drop it all too, this worker included, and must not wait on us).
async function signOut(event) {
  let response;
  try {
    response = await fetch(event.request);
  } catch {
    return offlinePage();
  }
  const drop = async () => {
    const state = await readState();
    await forget(state.owner);
    await updateState(() => EMPTY_STATE);
  };
  event.waitUntil(drop().catch(() => {}));
  return response;
}

// --- Talking to the pages (static/js/offline.js) --------------------------------------------

// What a page shows: the person's sessions waiting (and why any was refused), the tokens it
// must not use again, and whether their pages are kept.
async function report() {
  const state = await readState();
  if (!state.current || state.current !== state.owner) return { waiting: [], known: [], kept: false, blocked: null };
  const items = (await queued()).filter((item) => item.person === state.owner);
  const sent = await transaction(["sent"], "readonly", ({ sent }) => done(sent.getAllKeys()));
  return {
    waiting: items.map((item) => ({
      token: item.token,
      drill: state.drills[item.drill] || item.drill,
      day: item.fields.day || localDay(new Date(item.queuedAt)),
      fields: item.fields,
      refused: item.refused,
    })),
    known: [...items.map((item) => item.token), ...sent],
    kept: state.refreshed > 0,
    blocked,
  };
}

async function tell(news) {
  const state = await report();
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) client.postMessage({ ...news, state });
}

// Change a refused session as the person corrected it, and send it again.
async function fix(token, changes) {
  await transaction(["queue"], "readwrite", async ({ queue }) => {
    const id = await done(queue.index("token").getKey(token));
    const item = id === undefined ? null : await done(queue.get(id));
    if (item) queue.put({ ...item, fields: { ...item.fields, ...changes }, refused: null });
  });
  return send();
}

async function discard(token) {
  await transaction(["queue"], "readwrite", async ({ queue }) => {
    const id = await done(queue.index("token").getKey(token));
    if (id !== undefined) queue.delete(id);
  });
  await tell({ type: "queue" });
}

self.addEventListener("message", (event) => {
  const { type, token, changes } = event.data || {};
  const reply = (news) => report().then((state) => event.ports[0]?.postMessage({ ...news, state }));
  const work = {
    // A page loaded; `signedIn` when it has the sign-out button (a person whose pages this
    // worker may not have seen yet: it took the page over after it loaded).
    hello: async () => {
      const state = await readState();
      const due = !state.current || state.refreshed + REFRESH_MS < Date.now();
      if (event.data.signedIn && due) event.waitUntil(refresh());
      event.waitUntil(send());
    },
    state: () => null,
    send: () => send(),
    fix: () => fix(token, changes),
    discard: () => discard(token),
  }[type];
  if (work) event.waitUntil(Promise.resolve(work()).then(() => reply({ type })));
});
