// Ulakbel console: the only script. Polls for new requests on the inbox; everything else works without JS.
(function () {
  "use strict";
  var banner = document.getElementById("new-banner");
  if (!banner || !window.fetch) { return; }
  var url = banner.getAttribute("data-poll");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && body.new_count > 0) {
          banner.hidden = false;
          banner.querySelector("a").textContent =
            body.new_count + " yeni talep — yenilemek için tıklayın / " + body.new_count + " new — reload";
        }
      })
      .catch(function () { /* offline: try again later */ });
  }
  window.setInterval(poll, Number(document.body.getAttribute("data-poll-ms")) || 10000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
