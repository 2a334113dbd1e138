// The citizens' app: uses only the Open311 GeoReport v2 endpoints under /open311/v2/.
(function () {
  "use strict";
  const CFG = window.ULAKBEL || {};
  // Every text shown here comes from the string catalogue (chalicelib/web/strings.yaml, keys app_js.*) via CFG.
  const L = (key, values) => ((CFG.strings || {})[key] || key)
    .replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? values[k] : m));
  const API = "/open311/v2";
  // Times as the municipality's clock reads them (CFG.timezone, from municipality.yaml), never the raw UTC text.
  const TIME = new Intl.DateTimeFormat("tr-TR", { timeZone: CFG.timezone || "Europe/Istanbul", year: "numeric",
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const localTime = (iso) => {
    const d = new Date(iso);
    if (isNaN(d)) return iso || "";
    const p = {};
    for (const part of TIME.formatToParts(d)) p[part.type] = part.value;
    return p.day + "." + p.month + "." + p.year + " " + p.hour + ":" + p.minute;
  };
  const $ = (id) => document.getElementById(id);
  const MINE = "ulakbel.mine";
  let coords = null;
  let mediaUrl = null;
  let services = [];

  function mine() { try { return JSON.parse(localStorage.getItem(MINE) || "[]"); } catch (e) { return []; } }
  function remember(code) { const m = mine().filter((c) => c !== code); m.unshift(code); localStorage.setItem(MINE, JSON.stringify(m.slice(0, 20))); }

  async function api(path, opts) {
    const r = await fetch(API + path, opts);
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      const d = Array.isArray(body) && body[0] ? body[0].description : L("unexpected");
      throw new Error(d);
    }
    return body;
  }
  function form(fields) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined && v !== "") p.append(k, v);
    return { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" }, body: p.toString() };
  }

  // -- offline outbox (IndexedDB): a request written without a connection waits here until it can be sent --
  const DB = "ulakbel-app", OUTBOX = "outbox", SENT = "sent", SYNC_TAG = "ulakbel-outbox";
  function db() {
    return new Promise((ok, fail) => {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore(OUTBOX, { keyPath: "id", autoIncrement: true });
        r.result.createObjectStore(SENT, { keyPath: "code" });
      };
      r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
    });
  }
  async function store(name, mode, fn) {
    const d = await db();
    return new Promise((ok, fail) => {
      const tx = d.transaction(name, mode); const out = fn(tx.objectStore(name));
      tx.oncomplete = () => ok(out && out.result); tx.onerror = () => fail(tx.error);
    });
  }
  const queued = () => store(OUTBOX, "readonly", (s) => s.getAll());
  async function claim(id) {  // read and delete in ONE transaction: of two senders, only one gets the item
    const d = await db();
    return new Promise((ok, fail) => {
      const tx = d.transaction(OUTBOX, "readwrite"); const st = tx.objectStore(OUTBOX); let item = null;
      const g = st.get(id);
      g.onsuccess = () => { item = g.result || null; if (item) st.delete(id); };
      tx.oncomplete = () => ok(item); tx.onerror = () => fail(tx.error);
    });
  }
  async function queue(fields, push) {
    await store(OUTBOX, "readwrite", (s) => s.add({ fields: fields, push: push, at: new Date().toISOString() }));
    try {  // Background Sync where the browser has it; otherwise the `online` event (below) sends it
      const reg = await navigator.serviceWorker.ready;
      if (reg.sync) await reg.sync.register(SYNC_TAG);
    } catch (e) { /* no service worker / no sync: the online event sends it */ }
  }
  let flushing = false;
  async function flush() {  // the page's own sender (browsers without Background Sync, or the app open at the time)
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (const waiting of await queued()) {
        const item = await claim(waiting.id);  // the service worker may be sending it right now: one sender wins
        if (!item) continue;
        let out;
        try { out = await api("/requests.json", form(item.fields)); }
        catch (e) {
          if (e instanceof TypeError) { await store(OUTBOX, "readwrite", (s) => s.put(item)); break; }  // network: later
          out = null;  // refused (4xx): it would be refused again
        }
        if (out) { remember(out[0].service_request_id); if (item.push) enablePush(out[0].service_request_id); }
      }
      await adoptSent();
    } finally { flushing = false; netStatus(); }
  }
  async function adoptSent() {  // requests the service worker sent in the background while the page was closed
    for (const s of await store(SENT, "readonly", (st) => st.getAll())) {
      remember(s.code); if (s.push) enablePush(s.code);
      await store(SENT, "readwrite", (st) => st.delete(s.code));
    }
  }
  async function netStatus() {
    const n = navigator.onLine ? (await queued().catch(() => [])).length : -1;
    const el = $("net-status");
    el.hidden = n === 0;
    el.textContent = n < 0 ? L("offline") : L("waiting", { n: n });
  }

  // -- Web Push: only with the citizen's consent (the checkbox), right after the request is filed --
  function keyBytes(b64) { const s = atob(b64.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64.length + 3) % 4)); return Uint8Array.from(s, (c) => c.charCodeAt(0)); }
  async function enablePush(code) {
    const say = (t) => { $("push-status").textContent = t; };
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say(L("push_unsupported")); return;
    }
    try {
      if (await Notification.requestPermission() !== "granted") { say(L("push_denied")); return; }
      const reg = await navigator.serviceWorker.ready;
      const key = (await (await fetch("/app/push/key")).json()).public_key;
      const sub = (await reg.pushManager.getSubscription()) ||
        (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
      const r = await fetch("/app/push/subscriptions", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ service_request_id: code, subscription: sub.toJSON(), consent: true }) });
      say(r.ok ? L("push_on") : L("push_failed"));
    } catch (e) { say(L("push_failed")); }
  }

  function show(tab, focus) {
    for (const t of ["new", "track"]) {
      const button = $("tab-" + t), on = t === tab;
      $(t).hidden = !on;
      button.classList.toggle("active", on);
      button.setAttribute("aria-selected", on ? "true" : "false");
      button.tabIndex = on ? 0 : -1;  // roving tabindex: Tab reaches the selected tab, arrows move between tabs
      if (on && focus) button.focus();
    }
    if (tab === "track") renderMine();
  }
  $("tab-new").onclick = () => show("new");
  $("tab-track").onclick = () => show("track");
  for (const id of ["tab-new", "tab-track"]) {
    $(id).addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowRight" || ev.key === "ArrowLeft" || ev.key === "Home" || ev.key === "End") {
        ev.preventDefault();
        show(id === "tab-new" ? "track" : "new", true);
      }
    });
  }

  async function loadServices() {
    services = await api("/services.json");
    const sel = $("service");
    sel.innerHTML = ""; const first = document.createElement("option"); first.value = ""; first.textContent = "— " + L("choose_subject") + " —"; sel.appendChild(first);
    const groups = {};
    for (const s of services) (groups[s.group || L("other")] = groups[s.group || L("other")] || []).push(s);
    for (const [g, list] of Object.entries(groups)) {
      const og = document.createElement("optgroup"); og.label = g;
      for (const s of list) { const o = document.createElement("option"); o.value = s.service_code; o.textContent = s.service_name; og.appendChild(o); }
      sel.appendChild(og);
    }
  }

  $("service").onchange = async () => {
    const box = $("attributes"); box.innerHTML = "";
    const s = services.find((x) => x.service_code === $("service").value);
    if (!s || !s.metadata) return;
    const def = await api("/services/" + encodeURIComponent(s.service_code) + ".json");
    for (const a of def.attributes) {
      const id = "attr-" + a.code;
      const l = document.createElement("label"); l.htmlFor = id; l.textContent = a.description + (a.required ? " *" : "");
      const sel = document.createElement("select"); sel.id = id; sel.dataset.code = a.code; sel.required = a.required;
      sel.innerHTML = '<option value="">—</option>';
      for (const v of a.values || []) { const o = document.createElement("option"); o.value = v.key; o.textContent = v.name; sel.appendChild(o); }
      box.append(l, sel);
    }
  };

  for (const n of CFG.neighbourhoods || []) { const o = document.createElement("option"); o.value = n; o.textContent = n; $("neighbourhood").appendChild(o); }

  $("locate").onclick = () => {
    if (!navigator.geolocation) { $("loc-status").textContent = L("no_geolocation"); return; }
    $("loc-status").textContent = L("locating");
    navigator.geolocation.getCurrentPosition((p) => {
      coords = { lat: p.coords.latitude.toFixed(6), long: p.coords.longitude.toFixed(6) };
      $("loc-status").textContent = L("located", { lat: coords.lat, long: coords.long });
    }, () => { $("loc-status").textContent = L("locate_failed"); },
    { enableHighAccuracy: true, timeout: 10000 });
  };

  $("photo").onchange = async () => {
    const file = $("photo").files[0]; mediaUrl = null;
    if (!file) { $("photo-status").textContent = ""; return; }
    $("photo-status").textContent = L("uploading");
    try {
      const up = await api("/media", form({ api_key: CFG.api_key, content_type: file.type || "image/jpeg" }));
      if (file.size > up.max_bytes) throw new Error(L("photo_too_large"));
      const r = await fetch(up.upload_url, { method: "PUT", headers: { "Content-Type": up.content_type }, body: file });
      if (!r.ok) throw new Error(L("upload_failed"));
      mediaUrl = up.media_url;
      $("photo-status").textContent = L("photo_attached");
    } catch (e) { $("photo-status").textContent = e.message; }
  };

  $("form").onsubmit = async (ev) => {
    ev.preventDefault();
    $("error").textContent = "";
    const nb = $("neighbourhood").value, addr = $("address").value.trim();
    const fields = {
      api_key: CFG.api_key, service_code: $("service").value, description: $("description").value.trim(),
      media_url: mediaUrl, first_name: $("first_name").value.trim(), last_name: $("last_name").value.trim(),
      phone: $("phone").value.trim(), email: $("email").value.trim(),
      address_string: [addr, nb ? nb + " Mahallesi" : "", CFG.district || ""].filter(Boolean).join(", "),
    };
    if (coords) Object.assign(fields, coords);
    if (!coords && !nb && !addr) fields.address_string = "";
    for (const sel of $("attributes").querySelectorAll("select")) if (sel.value) fields["attribute[" + sel.dataset.code + "]"] = sel.value;
    if (!fields.service_code) { $("error").textContent = L("need_subject"); return; }
    if (!fields.description) { $("error").textContent = L("need_description"); return; }
    $("submit").disabled = true;
    const push = $("push-consent").checked;
    const offline = async () => {
      await queue(fields, push);
      if (push && "Notification" in window) Notification.requestPermission().catch(() => {});  // asked now, in the gesture
      $("code").textContent = "—"; $("queued").hidden = false; $("form").hidden = true; $("done").hidden = false;
      netStatus();
    };
    try {
      if (!navigator.onLine) { await offline(); return; }
      const out = await api("/requests.json", Object.assign(form(fields), {}));
      const code = out[0].service_request_id;
      remember(code);
      $("code").textContent = code; $("queued").hidden = true; $("form").hidden = true; $("done").hidden = false;
      if (push) enablePush(code);
    } catch (e) {
      if (e instanceof TypeError) await offline().catch((x) => { $("error").textContent = x.message; });  // no network
      else $("error").textContent = e.message;
    }
    finally { $("submit").disabled = false; }
  };
  $("again").onclick = () => { $("form").reset(); coords = null; mediaUrl = null; $("attributes").innerHTML = ""; $("form").hidden = false; $("done").hidden = true; };

  $("track-form").onsubmit = async (ev) => {
    ev.preventDefault(); $("track-error").textContent = "";
    const code = $("track-code").value.trim().toUpperCase();
    if (!code) return;
    try { await api("/requests/" + encodeURIComponent(code) + ".json"); remember(code); renderMine(); }
    catch (e) { $("track-error").textContent = e.message; }
  };

  function li(text, cls) { const e = document.createElement(cls || "div"); e.textContent = text; return e; }
  async function renderMine() {
    const list = $("mine"); list.innerHTML = "";
    const codes = mine();
    if (!codes.length) { list.appendChild(li(L("no_requests"), "li")); return; }
    const items = await api("/requests.json?service_request_id=" + encodeURIComponent(codes.join(","))).catch(() => []);
    const ups = await api("/servicerequestupdates.json?service_request_id=" + encodeURIComponent(codes.join(","))).catch(() => []);
    for (const r of items) {
      const item = document.createElement("li"); item.dataset.code = r.service_request_id;
      const badge = li(r.status === "closed" ? L("closed") : L("open"), "span"); badge.className = "badge " + r.status;
      const head = li(r.service_request_id + " — " + (r.service_name || r.service_code), "strong");
      item.append(head, document.createElement("br"), badge, li(r.status_notes || "", "p"));
      if (r.agency_responsible) item.appendChild(li(L("agency", { agency: r.agency_responsible }), "p"));
      const mineUps = ups.filter((u) => u.service_request_id === r.service_request_id);
      if (mineUps.length) {
        const ul = document.createElement("ul"); ul.className = "updates";
        for (const u of mineUps) {
          const row = li(" · " + u.description, "li"), at = document.createElement("time");
          at.dateTime = u.updated_datetime;
          at.textContent = localTime(u.updated_datetime);
          row.prepend(at);
          ul.appendChild(row);
        }
        item.appendChild(ul);
      }
      list.appendChild(item);
    }
  }

  loadServices().catch((e) => { $("error").textContent = e.message; });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/app/sw.js", { scope: "/app" }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (ev) => {
      if (ev.data && ev.data.type === "ulakbel-sent") adoptSent().then(() => { netStatus(); if (!$("track").hidden) renderMine(); });
    });
  }
  if (location.hash === "#track") show("track");  // a notification opens "my requests"
  window.addEventListener("online", () => { flush(); netStatus(); });
  window.addEventListener("offline", netStatus);
  if ("indexedDB" in window) { flush().catch(() => {}); netStatus().catch(() => {}); }
})();
