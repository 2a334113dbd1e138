"""Delivery reports from the platforms append `outbound_status` events (never edit the timeline)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from chalicelib import container
from chalicelib.domain.outbound import DeliveryUpdate, SendResult
from tests.conftest import auth
from tests.outbound.conftest import FIX


class Fixed:
    def __init__(self, platform, pmid):
        self.platform, self.pmid = platform, pmid

    def send(self, message):
        return SendResult(self.platform, self.pmid)


def _reply(client, pump, rid, route_sender, text="Yanıt"):
    container.override("outbound_senders", route_sender)
    r = client.http.post(f"/requests/{rid}/reply", headers=auth("agent"), body=json.dumps({"text": text}))
    assert r.status_code == 202, r.body
    pump.drain()
    return r.json_body["message_id"]


def _statuses(client, rid, message_id):
    tl = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body["timeline"]
    return [(e["data"]["status"], e["data"].get("reason")) for e in tl
            if e["type"] == "outbound_status" and e["data"]["message_id"] == message_id]


def test_whatsapp_statuses_update_the_timeline_once(client, pump, make_request):
    req = make_request("whatsapp", text="Su borusu patladı", ref="wamid.in1", phone="+905321112233",
                       platform_id="905321112233")
    pump.drain()
    wamid = "wamid.HBgMOTA1MzIxMTEyMjMzFQIAERgSQkFDRjY5RTlBRUUwMzgxMDE0AA=="
    mid = _reply(client, pump, req.id, {"whatsapp": Fixed("whatsapp", wamid)})
    from chalicelib.usecases.outbound import record_delivery_updates

    at = datetime(2026, 11, 29, 2, 50, tzinfo=timezone.utc)
    updates = [DeliveryUpdate("whatsapp", wamid, "delivered", None, at), DeliveryUpdate("whatsapp", wamid, "read")]
    assert record_delivery_updates(updates, container.repository()) == 1  # read == delivered, once
    assert record_delivery_updates(updates, container.repository()) == 0  # webhook redelivery: no change
    record_delivery_updates([DeliveryUpdate("whatsapp", "wamid.unknown", "failed", "x")], container.repository())
    assert _statuses(client, req.id, mid) == [("sent", None), ("delivered", None)]
    d = client.http.get(f"/requests/{req.id}/deliveries", headers=auth("admin")).json_body["items"]
    assert [x["status"] for x in d if x["message_id"] == mid] == ["delivered"]


def test_whatsapp_failed_status_carries_the_reason(client, pump, make_request):
    req = make_request("whatsapp", text="Çöp toplanmadı", ref="wamid.in2", platform_id="905321112233")
    pump.drain()
    mid = _reply(client, pump, req.id, {"whatsapp": Fixed("whatsapp", "wamid.F1")})
    from chalicelib import container
    from chalicelib.usecases.outbound import record_delivery_updates

    record_delivery_updates([DeliveryUpdate("whatsapp", "wamid.F1", "failed", "131047 Re-engagement message")],
                            container.repository())
    assert _statuses(client, req.id, mid)[-1] == ("failed", "131047 Re-engagement message")


def test_twilio_status_callback_is_signed_and_recorded(client, pump, make_request, monkeypatch):
    from chalicelib.channels.twilio.outbound import expected_signature

    from chalicelib import container

    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "tw-secret")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://api.talas.bel.tr")
    container.reset()  # settings are parsed once per process
    req = make_request("sms", phone="+905051234567")
    pump.drain()
    sid = "SM1f0e8ae6ade43cb3c0ce4525424e404f"
    mid = _reply(client, pump, req.id, {"sms": Fixed("twilio", sid)})
    body = (FIX / "twilio" / "status_undelivered.txt").read_text().strip()
    import urllib.parse

    params = dict(urllib.parse.parse_qsl(body))
    good = expected_signature("tw-secret", "https://api.talas.bel.tr/webhooks/twilio/status", params)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    bad = client.http.post("/webhooks/twilio/status", headers={**form, "X-Twilio-Signature": "nope"}, body=body)
    assert bad.status_code == 403
    ok = client.http.post("/webhooks/twilio/status", headers={**form, "X-Twilio-Signature": good}, body=body)
    assert ok.status_code == 200 and ok.json_body == {"recorded": 1}
    assert _statuses(client, req.id, mid)[-1] == ("failed", "Twilio 30003")


def test_ses_delivery_and_bounce_events(client, pump, make_request, app):
    req = make_request("email", text="Ruhsat başvurum", ref="<m1@example.org>", email="selin@example.org")
    pump.drain()
    mid = _reply(client, pump, req.id, {"email": Fixed("ses", "0102abc-ses-id")})
    for name in ("delivery_event.json", "bounce_event.json"):
        msg = (FIX / "ses" / name).read_text().replace("MESSAGE_ID_PLACEHOLDER", "0102abc-ses-id")
        event = {"Records": [{  # what SNS hands the Lambda subscribed to the SES configuration set's topic
            "EventSource": "aws:sns", "EventVersion": "1.0",
            "EventSubscriptionArn": "arn:aws:sns:eu-central-1:123456789012:ulakbel-local-email-events:5f1c",
            "Sns": {"Type": "Notification", "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                    "TopicArn": "arn:aws:sns:eu-central-1:123456789012:ulakbel-local-email-events",
                    "Subject": None, "Message": msg, "Timestamp": "2026-11-29T04:05:00.000Z",
                    "SignatureVersion": "1", "Signature": "EXAMPLE", "SigningCertUrl": "https://example",
                    "UnsubscribeUrl": "https://example", "MessageAttributes": {}}}]}
        assert app.handler_map["delivery_events"](event, None) == {"recorded": 1}
    assert _statuses(client, req.id, mid) == [("sent", None), ("delivered", None),
                                               ("failed", "bounce Permanent/General")]
