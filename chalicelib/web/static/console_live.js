// Ulakbel console, live replies (issue 19): a citizen's reply on ANY request the staff member may see (their
// department's, or every department's) is reported without a reload: its inbox row (when on this page) gets
// "Yeni yanıt / New reply", the Inbox link in the header counts the unread replies, and on the inbox a notice
// "N talepte vatandaştan yeni yanıt" links to each request. Opening the request reads it. console.js does the
// same for new requests; this file only adds replies (GET /console/poll/replies, see handlers/console_live.py).
(function () {
  "use strict";
  var store = window.localStorage;
  var KEY = "ulakbel.replied", AFTER = "ulakbel.replies_after", MAX_LINKS = 10;
  function load() { try { return JSON.parse(store.getItem(KEY) || "{}"); } catch (e) { return {}; } }
  function save(map) { try { store.setItem(KEY, JSON.stringify(map)); } catch (e) { /* private mode */ } }
  function entry(v) { return typeof v === "string" ? { at: v, code: "" } : (v || {}); }

  var opened = location.pathname.match(/^\/console\/requests\/([^\/]+)$/);
  if (opened) { var m = load(); delete m[opened[1]]; save(m); }
  var inboxLink = document.querySelector('header.top nav a[href="/console"]');
  if (!inboxLink || !window.fetch) { return; }  // signed-in console pages only

  var table = document.querySelector('[data-testid="inbox"]');
  var status = document.getElementById("reply-status");
  function rows() { return table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-request-id]")) : []; }

  function counter(replied) {
    var n = Object.keys(replied).length, badge = inboxLink.querySelector(".reply-count");
    if (!n) { if (badge) { badge.remove(); } return; }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge reply-count";
      badge.setAttribute("data-testid", "reply-count");
      inboxLink.append(" ", badge);
    }
    badge.textContent = String(n);
    badge.setAttribute("title", ulakbelText("new_replies", { n: n }));
    badge.setAttribute("aria-label", ulakbelText("new_replies", { n: n }));
  }

  function notice(replied) {
    if (!status) { return; }
    var ids = Object.keys(replied);
    if (!ids.length) { status.hidden = true; status.textContent = ""; return; }
    ids.sort(function (a, b) { return entry(replied[a]).at < entry(replied[b]).at ? 1 : -1; });
    status.textContent = ulakbelText("new_replies", { n: ids.length }) + ": ";
    ids.slice(0, MAX_LINKS).forEach(function (id, i) {
      var a = document.createElement("a");
      a.href = "/console/requests/" + encodeURIComponent(id);
      a.setAttribute("data-testid", "reply-link");
      a.setAttribute("data-request-id", id);
      a.textContent = entry(replied[id]).code || id;
      if (i) { status.append(", "); }
      status.append(a);
    });
    if (ids.length > MAX_LINKS) { status.append(" …"); }
    status.hidden = false;
  }

  function mark() {
    var replied = load();
    counter(replied);
    notice(replied);
    rows().forEach(function (tr) {
      var id = tr.getAttribute("data-request-id");
      var badge = tr.querySelector(".reply-dot");
      if (!replied[id]) { if (badge) { badge.remove(); tr.classList.remove("replied"); } return; }
      tr.classList.add("unread", "replied");
      tr.setAttribute("data-replied-at", entry(replied[id]).at);
      if (!badge) {
        var link = tr.querySelector("a");
        badge = document.createElement("span");
        badge.className = "reply-dot";
        badge.setAttribute("data-testid", "reply-badge");
        var inner = document.createElement("span");
        inner.className = "badge";
        inner.textContent = ulakbelText("new_reply");  // console.js: texts from the string catalogue (js.*)
        badge.append(" ", inner);
        if (link) { link.parentNode.insertBefore(badge, link.nextSibling); }
      }
    });
  }
  // console.js replaces the rows when new requests arrive and recomputes its own marker: mark again after it.
  if (table) { new MutationObserver(function () { mark(); }).observe(table, { childList: true, subtree: false }); }

  function poll() {
    var ids = rows().map(function (tr) { return tr.getAttribute("data-request-id"); }).slice(0, 50);
    var after = store.getItem(AFTER) || "";
    var query = [];
    if (ids.length) { query.push("ids=" + encodeURIComponent(ids.join(","))); }
    if (after) { query.push("after=" + encodeURIComponent(after)); }
    fetch("/console/poll/replies" + (query.length ? "?" + query.join("&") : ""),
          { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        try { store.setItem(AFTER, body.now); } catch (e) { /* */ }
        if (!body.replied.length) { return; }
        var replied = load();
        body.replied.forEach(function (r) {
          if (!opened || opened[1] !== r.id) { replied[r.id] = { at: r.at, code: r.tracking_code || "" }; }
        });
        save(replied);
        mark();
      })
      .catch(function () { /* offline: try again later */ });
  }
  mark();
  poll();
  window.setInterval(poll, Number(document.body.getAttribute("data-poll-ms")) || 10000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
