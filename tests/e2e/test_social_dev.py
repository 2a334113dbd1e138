"""Signed social webhooks over real HTTP against `ulakbel dev`, as the README's curl examples send them."""
from __future__ import annotations

import json

from chalicelib.channels.meta.inbound import sign as meta_sign
from chalicelib.channels.x.inbound import sign as x_sign
from chalicelib.channels.youtube.inbound import sign as yt_sign
from tests.conftest import FIXTURES
from tests.e2e.conftest import leased_task, wait_for


def test_signed_webhooks_from_every_platform_become_routed_requests(town):
    t, dev_system = town
    http, token, home = dev_system["http"], dev_system["token"], dev_system["home"]
    secrets = json.loads((home / "dev-secrets.json").read_text())
    admin = token("--role", "admin")

    status, challenge = http.call("GET", "/webhooks/meta?hub.mode=subscribe&hub.challenge=77&hub.verify_token="
                                  + secrets["META_VERIFY_TOKEN"])
    assert (status, challenge) == (200, "77")
    status, crc = http.call("GET", "/webhooks/x?crc_token=abc")
    assert status == 200 and crc["response_token"].startswith("sha256=")

    sent = {"meta/whatsapp_text.json": "whatsapp", "meta/page_comment.json": "facebook",
            "meta/instagram_dm.json": "instagram"}
    for name in sent:
        raw = (FIXTURES / name).read_bytes()
        status, body = http.call("POST", "/webhooks/meta", raw=raw,
                                 headers={"X-Hub-Signature-256": meta_sign(raw, secrets["META_APP_SECRET"])})
        assert status == 200, body
    raw = (FIXTURES / "x/aaa_mention.json").read_bytes()
    status, body = http.call("POST", "/webhooks/x", raw=raw,
                             headers={"x-twitter-webhooks-signature": x_sign(raw, secrets["X_CONSUMER_SECRET"])})
    assert status == 200 and body["received"] == 1
    raw = (FIXTURES / "youtube/websub_upload.xml").read_bytes()
    status, body = http.call("POST", "/webhooks/youtube", raw=raw,
                             headers={"Content-Type": "application/atom+xml",
                                      "X-Hub-Signature": yt_sign(raw, secrets["YOUTUBE_WEBSUB_SECRET"])})
    assert status == 200 and body == {"videos": 1}
    status, _ = http.call("POST", "/webhooks/meta", raw=b"{}", headers={"X-Hub-Signature-256": "sha256=" + "0" * 64})
    assert status == 401

    def routed():
        items = []
        for channel in ("whatsapp", "facebook", "instagram", "x"):
            got = http.call("GET", f"/requests?channel={channel}&limit=100", token=admin)[1]["items"]
            items += [i for i in got if i["status"] == "routed"]
        return items if {i["channel"] for i in items} >= {"whatsapp", "facebook", "instagram", "x"} else None

    items = wait_for(routed, timeout=120)  # a bound for a loaded CI machine, not a speed claim
    assert items, "each signed webhook should become a routed request"
    assert {i["channel"] for i in items} == {"whatsapp", "facebook", "instagram", "x"}
    # the shared dev server may hold other WhatsApp requests: pick the one this test sent
    wamid = "wamid.HBgMOTA1MzIxMTEyMjMzFQIAEhgUM0E0QjY1OTlBRUUwMzgxMDE0NEYA"
    whatsapp = wait_for(lambda: next((i for i in routed() or [] if i["channel_ref"] == wamid), None), timeout=120)
    assert whatsapp is not None
    rubbish = t.department_of("cop_toplama")  # "Yenidoğan mahallesinde çöpler toplanmadı"
    assert whatsapp["department"] == rubbish
    dept = token("--role", "department", "--department", rubbish)
    assert leased_task(http, rubbish, dept, whatsapp["id"])
