"""A staff reply goes through the outbound queue to the citizen's channel: SMS via SNS, e-mail via SES."""
from __future__ import annotations

from tests.conftest import auth
from tests.outbound.conftest import emails_sent, sms_sent


def _events(client, rid, type_):
    body = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body
    return [e for e in body["timeline"] if e["type"] == type_], body


def test_reply_to_sms_request_is_sent_once_via_sns_and_recorded(client, pump, make_request):
    req = make_request("sms", phone="+905051234567")
    pump.drain()
    before = len(sms_sent())
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"),
                         body='{"text": "Ekibimiz yarın lambayı onaracak."}')
    assert r.status_code == 202, r.body
    message_id = r.json_body["message_id"]
    assert r.json_body["channel"] == "sms" and r.json_body["status"] == "queued"
    pump.drain()
    sent = sms_sent()[before:]
    assert ("+905051234567", "Ekibimiz yarın lambayı onaracak.") in sent
    statuses, body = _events(client, req.id, "outbound_status")
    mine = [e["data"] for e in statuses if e["data"]["message_id"] == message_id]
    assert [d["status"] for d in mine] == ["sent"]
    assert body["first_response_at"] is not None
    queued, _ = _events(client, req.id, "outbound")
    assert any(e["data"]["message_id"] == message_id and e["data"]["status"] == "queued" for e in queued)


def test_reply_to_email_request_is_threaded_via_ses(client, pump, make_request):
    req = make_request("email", text="Yol çalışması yarım kaldı", ref="<abc123@mail.example.com>",
                       email="ali@example.com.tr")
    pump.drain()
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("admin"), body='{"text": "Asfalt perşembe."}')
    assert r.status_code == 202, r.body
    pump.drain()
    replies = [m for m in emails_sent() if "Asfalt" in (m.raw_data if hasattr(m, "raw_data") else str(m))]
    assert len(replies) == 1
    raw = replies[0].raw_data
    assert "In-Reply-To: <abc123@mail.example.com>" in raw
    assert "ali@example.com.tr" in replies[0].destinations


def test_department_can_reply_only_to_its_own_request(client, pump, make_request):
    req = make_request("sms", text="Parktaki salıncak kırık", phone="+905051234567")
    pump.drain()
    dept = client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body["department"]
    other = "fen" if dept != "fen" else "park"
    assert client.http.post(f"/requests/{req.id}/reply", headers=auth("department", other),
                            body='{"text": "x"}').status_code == 404
    assert client.http.post(f"/requests/{req.id}/reply", headers=auth("viewer"),
                            body='{"text": "x"}').status_code == 403
    assert client.http.post(f"/requests/{req.id}/reply", headers=auth("department", dept),
                            body='{"text": "Tamam"}').status_code == 202
    assert client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"),
                            body='{"text": ""}').status_code == 400
    assert client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"),
                            body='{"text": "x", "extra": 1}').status_code == 400


def test_cimer_reply_is_recorded_for_manual_entry(client, pump, make_request):
    req = make_request("cimer", text="İmar durumu hakkında bilgi", name="Osman Arslan")
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"), body='{"text": "Cevap metni"}')
    assert r.status_code == 202 and r.json_body["manual"] is True and "CİMER" in r.json_body["reason"]
    queued, _ = _events(client, req.id, "outbound")
    assert queued[-1]["data"]["channel"] == "manual" and queued[-1]["data"]["manual"] is True
