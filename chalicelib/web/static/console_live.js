// Ulakbel console, live replies (issue 19): a citizen's reply on a request shown in the inbox marks its row
// unread ("Yeni yanıt / New reply") without a reload, until the request is opened. console.js does the same
// for new requests; this file only adds replies (GET /console/poll/replies, see handlers/console_live.py).
(function () {
  "use strict";
  var store = window.localStorage;
  var KEY = "ulakbel.replied", AFTER = "ulakbel.replies_after";
  function load() { try { return JSON.parse(store.getItem(KEY) || "{}"); } catch (e) { return {}; } }
  function save(map) { try { store.setItem(KEY, JSON.stringify(map)); } catch (e) { /* private mode */ } }

  var opened = location.pathname.match(/^\/console\/requests\/([^\/]+)$/);
  if (opened) { var m = load(); delete m[opened[1]]; save(m); return; }

  var table = document.querySelector('[data-testid="inbox"]');
  if (!table || !window.fetch) { return; }
  function rows() { return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-request-id]")); }
  function mark() {
    var replied = load();
    rows().forEach(function (tr) {
      var id = tr.getAttribute("data-request-id");
      var badge = tr.querySelector(".reply-dot");
      if (!replied[id]) { if (badge) { badge.remove(); tr.classList.remove("replied"); } return; }
      tr.classList.add("unread", "replied");
      tr.setAttribute("data-replied-at", replied[id]);
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
  new MutationObserver(function () { mark(); }).observe(table, { childList: true, subtree: false });
  var status = document.getElementById("reply-status");

  function poll() {
    var ids = rows().map(function (tr) { return tr.getAttribute("data-request-id"); }).slice(0, 50);
    var after = store.getItem(AFTER) || "";
    if (!ids.length) { return; }
    fetch("/console/poll/replies?ids=" + encodeURIComponent(ids.join(",")) +
          (after ? "&after=" + encodeURIComponent(after) : ""),
          { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        try { store.setItem(AFTER, body.now); } catch (e) { /* */ }
        if (!body.replied.length) { return; }
        var replied = load();
        body.replied.forEach(function (r) { replied[r.id] = r.at; });
        save(replied);
        mark();
        if (status) {
          status.hidden = false;
          status.textContent = ulakbelText("new_replies", { n: body.replied.length });
        }
      })
      .catch(function () { /* offline: try again later */ });
  }
  mark();
  poll();
  window.setInterval(poll, Number(document.body.getAttribute("data-poll-ms")) || 10000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
