"""Locally, platform replies never reach the internet: the outbox records the exact request on the timeline."""
from __future__ import annotations

import json

from tests.conftest import auth


def test_facebook_comment_reply_goes_to_the_outbox_and_the_timeline(client, pump, make_request, monkeypatch):
    from chalicelib import container

    monkeypatch.setenv("META_PAGE_TOKEN", "dev-page-token")
    container.reset()  # settings are parsed once per process
    req = make_request("facebook", text="Parkın salıncakları kırık", ref="123456789_987654321",
                       platform_id="6482910375", name="Mehmet Kaya")
    pump.drain()
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"),
                         body=json.dumps({"text": "Ekibimiz bu hafta onaracak.", "public": True}))
    assert r.status_code == 202 and r.json_body["channel"] == "facebook_comment"
    pump.drain()
    tl = client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body["timeline"]
    sent = [e["data"] for e in tl if e["type"] == "outbound_status" and e["data"]["status"] == "sent"]
    assert len(sent) == 1 and sent[0]["outbox"] is True
    recorded = sent[0]["outbox_request"]
    assert recorded["url"] == "https://graph.facebook.com/v21.0/123456789_987654321/comments"
    assert json.loads(recorded["body"]) == {"message": "Ekibimiz bu hafta onaracak."}
    assert recorded["headers"]["Authorization"] == "***"  # the token never lands in the table


def _whatsapp_reply_statuses(client, pump, make_request, ref: str) -> list[dict]:
    """A WhatsApp request, a staff reply to it, and the reply's outbound_status events in order."""
    req = make_request("whatsapp", text="Su borusu patladı", ref=ref, platform_id="905339998877")
    pump.drain()
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"), body='{"text": "Ekip yolda."}')
    pump.drain()
    tl = client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body["timeline"]
    return [e["data"] for e in tl if e["type"] == "outbound_status" and e["data"]["message_id"] == r.json_body["message_id"]]


def test_whatsapp_reply_locally_is_recorded_with_the_window_rule(client, pump, make_request):
    st = _whatsapp_reply_statuses(client, pump, make_request, "wamid.y")
    assert st[-1]["status"] == "sent" and st[-1]["note"] == "text"
    body = json.loads(st[-1]["outbox_request"]["body"])
    assert body["to"] == "905339998877" and body["text"]["body"] == "Ekip yolda."


def test_whatsapp_reply_without_credentials_fails_clearly(client, pump, make_request, monkeypatch):
    from chalicelib import container

    monkeypatch.setenv("ULAKBEL_OUTBOX", "0")
    monkeypatch.delenv("WHATSAPP_PHONE_NUMBER_ID", raising=False)
    container.reset()  # settings are parsed once per process: as a new process with this environment would
    st = _whatsapp_reply_statuses(client, pump, make_request, "wamid.x")
    assert st[-1]["status"] == "failed" and "phone number id" in st[-1]["reason"]
