// Ulakbel console: the only script. Everything works without it; it adds live updates, the unread marker,
// keyboard shortcuts (j/k/Enter/x/r/a/e, ? for help) and the bulk selection count.
// Every text this script shows comes from the string catalogue (web/strings.yaml, keys js.*), handed over by
// the page as JSON (<script type="application/json" id="ui-strings">): nothing user-facing is written here.
var ulakbelText = (function () {
  var el = document.getElementById("ui-strings"), strings = {};
  try { strings = el ? JSON.parse(el.textContent) : {}; } catch (e) { strings = {}; }
  return function (key, values) {
    return (strings[key] || key).replace(/\{(\w+)\}/g, function (m, k) { return values && k in values ? values[k] : m; });
  };
})();

(function () {
  "use strict";
  var store = window.localStorage;
  function seen() { try { return JSON.parse(store.getItem("ulakbel.seen") || "[]"); } catch (e) { return []; } }
  function markSeen(id) {
    var s = seen().filter(function (x) { return x !== id; });
    s.push(id);
    try { store.setItem("ulakbel.seen", JSON.stringify(s.slice(-2000))); } catch (e) { /* private mode */ }
  }
  var baseline = store && store.getItem("ulakbel.baseline");
  if (store && !baseline) { baseline = new Date().toISOString(); try { store.setItem("ulakbel.baseline", baseline); } catch (e) { /* */ } }

  // -- request page: remember it was read; r/a/e and the #reply/#assign/#resolve hashes -----------------
  var match = location.pathname.match(/^\/console\/requests\/([^\/]+)$/);
  if (match) { markSeen(match[1]); }
  function act(what) {
    var el;
    if (what === "reply") { el = document.getElementById("reply-text"); }
    if (what === "assign") { el = document.getElementById("assign-assignee"); }
    if (what === "resolve") {
      var st = document.getElementById("st");
      if (st && st.querySelector('option[value="resolved"]')) {
        st.value = "resolved";
        el = document.querySelector('[data-testid="status-form"] button[type="submit"]');
      }
    }
    if (el) { el.focus(); el.scrollIntoView({ block: "center" }); }
    return !!el;
  }
  if (match && location.hash) { act(location.hash.slice(1)); }

  // -- inbox rows: unread marker, keyboard cursor, selection -----------------------------------------
  var table = document.querySelector('[data-testid="inbox"]');
  var cursor = -1;
  function rows() { return table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-request-id]")) : []; }
  function markUnread(fresh) {
    var read = seen();
    rows().forEach(function (tr) {
      var id = tr.getAttribute("data-request-id");
      var unread = read.indexOf(id) < 0 && ((fresh && fresh.indexOf(id) >= 0) ||
        (baseline && (tr.getAttribute("data-received") || "") > baseline));
      tr.classList.toggle("unread", unread);
      var dot = tr.querySelector(".unread-dot");
      if (dot) { dot.hidden = !unread; }
    });
  }
  function move(delta) {
    var list = rows();
    if (!list.length) { return; }
    cursor = Math.max(0, Math.min(list.length - 1, cursor + delta));
    list.forEach(function (tr, i) { tr.classList.toggle("current", i === cursor); });
    var link = list[cursor].querySelector("a");
    if (link) { link.focus(); }
  }
  function current() { var list = rows(); return cursor >= 0 ? list[cursor] : null; }
  var count = document.getElementById("bulk-count");
  function updateCount() {
    if (!count) { return; }
    var n = document.querySelectorAll("input.pick:checked").length;
    count.textContent = ulakbelText("selected", { n: n });
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.id === "select-all") {
      Array.prototype.forEach.call(document.querySelectorAll("input.pick"), function (c) { c.checked = ev.target.checked; });
    }
    updateCount();
  });
  var bulkAction = document.getElementById("bulk-action");
  function showBulkFields() {
    Array.prototype.forEach.call(document.querySelectorAll("#bulk [data-for]"), function (f) {
      f.hidden = f.getAttribute("data-for") !== bulkAction.value;
    });
  }
  if (bulkAction) { bulkAction.addEventListener("change", showBulkFields); showBulkFields(); }
  if (table) { markUnread(null); }

  // -- keyboard --------------------------------------------------------------------------------------
  var help = document.getElementById("keys-help");
  function toggleHelp(show) {
    if (!help) { return; }
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) { document.getElementById("keys-close").focus(); }
  }
  var close = document.getElementById("keys-close");
  if (close) { close.addEventListener("click", function () { toggleHelp(false); }); }
  document.addEventListener("keydown", function (ev) {
    var t = ev.target, tag = t && t.tagName;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (ev.key === "Escape" && help && !help.hidden) { toggleHelp(false); return; }
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) { return; }
    if (ev.key === "?") { toggleHelp(); ev.preventDefault(); return; }
    if (help && !help.hidden) { return; }
    if (table) {
      if (ev.key === "j") { move(1); ev.preventDefault(); return; }
      if (ev.key === "k") { move(-1); ev.preventDefault(); return; }
      var tr = current();
      if (!tr) { return; }
      var href = tr.querySelector("a").getAttribute("href");
      if (ev.key === "Enter" && t === document.body) { location.href = href; return; }
      if (ev.key === "x") { var c = tr.querySelector("input.pick"); if (c) { c.checked = !c.checked; updateCount(); } return; }
      var hash = { r: "#reply", a: "#assign", e: "#resolve" }[ev.key];
      if (hash) { location.href = href + hash; ev.preventDefault(); }
    } else if (match) {
      var what = { r: "reply", a: "assign", e: "resolve" }[ev.key];
      if (what && act(what)) { ev.preventDefault(); }
    }
  });

  // -- live: poll count_newer; on the first page of the newest, refresh the rows in place ------------
  var banner = document.getElementById("new-banner");
  if (!banner || !window.fetch) { return; }
  var url = banner.getAttribute("data-poll");
  var live = banner.getAttribute("data-live") === "1";
  function refreshRows(n) {
    fetch(banner.querySelector("a").getAttribute("href"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (!text) { return; }
        var doc = new DOMParser().parseFromString(text, "text/html");
        var fresh = doc.querySelector('[data-testid="inbox"] tbody');
        var before = rows().map(function (tr) { return tr.getAttribute("data-request-id"); });
        if (!fresh) { return; }
        table.querySelector("tbody").replaceWith(document.importNode(fresh, true));
        var added = rows().map(function (tr) { return tr.getAttribute("data-request-id"); })
          .filter(function (id) { return before.indexOf(id) < 0; });
        markUnread(added);
        var newest = rows().map(function (tr) { return tr.getAttribute("data-received") || ""; }).sort().pop();
        if (newest) { url = url.replace(/after=[^&]*/, "after=" + encodeURIComponent(newest)); }
        banner.hidden = false;
        banner.querySelector("a").textContent = n + " yeni talep listeye eklendi / " + n + " new request(s) added";
        cursor = -1;
      });
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && body.new_count > 0) {
          if (live && table) { refreshRows(body.new_count); return; }
          banner.hidden = false;
          banner.querySelector("a").textContent = ulakbelText("new_requests", { n: body.new_count });
        }
      })
      .catch(function () { /* offline: try again later */ });
  }
  window.setInterval(poll, Number(document.body.getAttribute("data-poll-ms")) || 10000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();

// Request view: canned replies fill the reply box; the box counts characters and SMS parts as staff type.
(function () {
  "use strict";
  var canned = document.getElementById("reply-canned");
  var box = document.getElementById("reply-text");
  var out = document.getElementById("reply-count");
  if (!box || !out) { return; }
  var base = out.textContent;
  var GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXT = "^{}\\[~]|€\f";
  function segments(text) {
    if (!text) { return 0; }
    var gsm = true, units = 0, i, c;
    for (i = 0; i < text.length; i++) {
      c = text.charAt(i);
      if (GSM.indexOf(c) >= 0) { units += 1; } else if (EXT.indexOf(c) >= 0) { units += 2; } else { gsm = false; break; }
    }
    if (gsm) { return units <= 160 ? 1 : Math.ceil(units / 153); }
    units = Array.from(text).reduce(function (n, ch) { return n + (ch.codePointAt(0) > 0xFFFF ? 2 : 1); }, 0);
    return units <= 70 ? 1 : Math.ceil(units / 67);
  }
  function update() {
    var limit = Number(box.getAttribute("data-limit")) || 0;
    var n = box.value.length;
    var text = ulakbelText(limit ? "characters_of" : "characters", { n: n, limit: limit });
    if (box.getAttribute("data-sms")) { text += " · " + ulakbelText("sms_parts", { n: segments(box.value) }); }
    out.textContent = base + " — " + text;
    out.classList.toggle("late", limit > 0 && n > limit);
  }
  box.addEventListener("input", update);
  if (canned) {
    canned.addEventListener("change", function () {
      if (canned.value) { box.value = canned.value; update(); box.focus(); }
    });
  }
})();
