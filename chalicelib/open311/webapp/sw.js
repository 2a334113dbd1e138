// Service worker of the citizens' app: the shell works offline, "my requests" are read from the last saved
// copy when there is no network, a request written offline is sent by Background Sync, and Web Push
// notifications are shown.
const CACHE = "ulakbel-app-v2";
const DATA = "ulakbel-data-v1";
const SHELL = ["/app", "/app/app.js", "/app/app.css", "/app/icon.svg", "/app/manifest.webmanifest"];
// Public Open311 reads the app makes for "my requests" and the form: network first, the saved copy offline.
const READS = ["/open311/v2/requests.json", "/open311/v2/servicerequestupdates.json", "/open311/v2/services.json"];
const DB = "ulakbel-app", OUTBOX = "outbox", SENT = "sent", SYNC_TAG = "ulakbel-outbox";
// Its texts come from the string catalogue (chalicelib/web/strings.yaml, keys app_sw.*), filled in when served.
const STRINGS = Object.assign({ offline: "offline", title: "ulakbel" }, /*STRINGS*/{});

self.addEventListener("install", (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting())));
self.addEventListener("activate", (e) => e.waitUntil(caches.keys().then((keys) =>
  Promise.all(keys.filter((k) => k !== CACHE && k !== DATA).map((k) => caches.delete(k)))).then(() => self.clients.claim())));

function networkFirst(request, cacheName) {
  return fetch(request).then((r) => {
    if (r.ok) { const copy = r.clone(); caches.open(cacheName).then((c) => c.put(request, copy)); }
    return r;
  }).catch(() => caches.match(request).then((hit) => hit || new Response(JSON.stringify([{ code: 503,
    description: STRINGS.offline }]), { status: 503, headers: { "Content-Type": "application/json" } })));
}

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (SHELL.includes(url.pathname)) { e.respondWith(networkFirst(e.request, CACHE)); return; }
  if (READS.includes(url.pathname) || url.pathname.startsWith("/open311/v2/services/")) e.respondWith(networkFirst(e.request, DATA));
});

// -- Background Sync: requests written offline (IndexedDB, see app.js) -----------------------------------
function db() {
  return new Promise((ok, fail) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => { r.result.createObjectStore(OUTBOX, { keyPath: "id", autoIncrement: true }); r.result.createObjectStore(SENT, { keyPath: "code" }); };
    r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
  });
}
function tx(d, name, mode, fn) {
  return new Promise((ok, fail) => { const t = d.transaction(name, mode); const out = fn(t.objectStore(name)); t.oncomplete = () => ok(out && out.result); t.onerror = () => fail(t.error); });
}
function claim(d, id) {  // read and delete in one transaction: the page and the worker never both send it
  return new Promise((ok, fail) => {
    const t = d.transaction(OUTBOX, "readwrite"); const st = t.objectStore(OUTBOX); let item = null;
    const g = st.get(id); g.onsuccess = () => { item = g.result || null; if (item) st.delete(id); };
    t.oncomplete = () => ok(item); t.onerror = () => fail(t.error);
  });
}
async function sendOutbox() {
  const d = await db();
  let sent = 0;
  for (const waiting of await tx(d, OUTBOX, "readonly", (s) => s.getAll())) {
    const item = await claim(d, waiting.id);
    if (!item) continue;
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(item.fields)) if (v !== null && v !== undefined && v !== "") body.append(k, v);
    let r;
    try {
      r = await fetch("/open311/v2/requests.json", { method: "POST", body: body.toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" } });
    } catch (e) { await tx(d, OUTBOX, "readwrite", (s) => s.put(item)); throw e; }  // still offline: sync retries
    if (!r.ok) continue;  // refused: it would be refused again
    const out = await r.json();
    await tx(d, SENT, "readwrite", (s) => s.put({ code: out[0].service_request_id, push: !!item.push }));
    sent++;
  }
  if (sent) for (const c of await self.clients.matchAll({ includeUncontrolled: true })) c.postMessage({ type: "ulakbel-sent" });
}
self.addEventListener("sync", (e) => { if (e.tag === SYNC_TAG) e.waitUntil(sendOutbox()); });

// -- Web Push --------------------------------------------------------------------------------------------
self.addEventListener("push", (e) => {
  let data = {};
  try { data = e.data ? e.data.json() : {}; } catch (x) { data = { body: e.data ? e.data.text() : "" }; }
  e.waitUntil(self.registration.showNotification(data.title || STRINGS.title, {
    body: data.body || "", tag: data.tag || "ulakbel", lang: "tr", icon: "/app/icon.svg",
    data: { url: data.url || "/app#track" } }));
});
self.addEventListener("notificationclick", (e) => {
  e.notification.close();
  const target = (e.notification.data && e.notification.data.url) || "/app#track";
  e.waitUntil(self.clients.matchAll({ type: "window" }).then((list) => {
    for (const c of list) if (new URL(c.url).pathname === "/app" && "focus" in c) return c.focus();
    return self.clients.openWindow(target);
  }));
});
