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
    var text = n + (limit ? " / " + limit : "") + " karakter / characters";
    if (box.getAttribute("data-sms")) { text += " · " + segments(box.value) + " SMS parçası / SMS parts"; }
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
