"""SES e-mail via SNS (plain, HTML-only, windows-1254, attachments, threading, verdicts), End User Messaging
two-way SMS via SNS, and the Amazon Connect contact-flow Lambda."""
from __future__ import annotations

import copy
import json

import pytest

from chalicelib.channels.email import inbound as email
from tests.conftest import FIXTURES, auth


def _event(name: str) -> dict:
    return json.loads((FIXTURES / "email" / f"ses_{name}.sns.json").read_text())


def _note(name: str) -> dict:
    return json.loads(_event(name)["Records"][0]["Sns"]["Message"])


def test_plain_quoted_printable_with_encoded_subject_and_sender():
    cmd = email.parse_ses_notification(_note("plain"))
    assert cmd.channel.value == "email" and cmd.channel_ref == "<CAJx3fK2p0wQ8Zt1Lr9Vb6m@mail.gmail.com>"
    assert cmd.text.startswith("Sokak lambası yanmıyor – İnönü Caddesi")
    assert "İnönü Caddesi 14 numaranın önündeki sokak lambası bir haftadır yanmıyor" in cmd.text
    assert cmd.citizen.name == "Ayşe Yılmaz" and cmd.citizen.email == "ayse.yilmaz@example.com.tr"
    assert cmd.in_reply_to is None and cmd.received_at.year == 2026


def test_html_only_mail_becomes_text():
    cmd = email.parse_ses_notification(_note("html_only"))
    assert cmd.text.startswith("Parkta kırık oyuncaklar")
    assert "Yenidoğan Mahallesi'ndeki \"Gençlik Parkı\"nda kırık salıncak" in cmd.text
    assert "<" not in cmd.text and "color" not in cmd.text


def test_windows_1254_reply_is_decoded_threaded_and_quote_stripped():
    cmd = email.parse_ses_notification(_note("windows1254"))
    assert "Çamlık Sokak'taki su borusu patladı" in cmd.text and "İbrahim Şahin" in cmd.text
    assert cmd.text.startswith("RE: Su borusu patladı\n\nSayın Yetkili")
    assert cmd.citizen.name == "İbrahim Şahin"
    assert cmd.in_reply_to == "<ulakbel-2026-ABC123@basvuru.ornekbelediye.bel.tr>"
    assert "Talebiniz alındı" not in cmd.text  # the quoted previous mail is dropped


def test_attachments_are_kept_as_metadata_only():
    cmd = email.parse_ses_notification(_note("attachment"))
    assert "Atatürk Bulvarı 52 önünde kaldırım çöktü" in cmd.text
    names = [(a.name, a.kind, a.content_type) for a in cmd.attachments]
    assert names == [("kaldirim.jpg", "image", "image/jpeg"), ("tutanak örneği.pdf", "file", "application/pdf")]
    assert all(a.size and a.size > 0 and a.url is None for a in cmd.attachments)


def test_virus_fail_is_dropped():
    note = _note("plain")
    note["receipt"]["virusVerdict"] = {"status": "FAIL"}
    with pytest.raises(email.Skip):
        email.parse_ses_notification(note)


def _spoofed() -> dict:
    return json.loads(json.loads((FIXTURES / "ses" / "receipt_spoofed_from.sns.json").read_text())
                      ["Records"][0]["Sns"]["Message"])


def test_verified_sender_is_trusted_and_a_spoofed_from_is_suspect():
    assert email.parse_ses_notification(_note("plain")).suspect is None  # SPF, DKIM, DMARC all PASS
    cmd = email.parse_ses_notification(_spoofed())  # From: a citizen; sent from a VPS; DMARC FAIL (p=reject)
    assert cmd.suspect and "DMARC FAIL" in cmd.suspect
    assert cmd.citizen.email == "ayse.yilmaz@example.com.tr"  # kept for staff to see, as a claim
    assert cmd.in_reply_to is None  # its In-Reply-To is the sender's claim too: no threading
    assert cmd.channel_ref == "ses:t8r2k5m1n9b4v7c3x6z0l2k8j5h1g4f7d3s9a6q2"  # SES's id, not the claimed one


@pytest.mark.parametrize("verdicts,suspect", [
    ({"spfVerdict": "PASS", "dkimVerdict": "PASS", "dmarcVerdict": "GRAY"}, False),  # no DMARC record: both pass
    ({"spfVerdict": "PASS", "dkimVerdict": "GRAY", "dmarcVerdict": "GRAY"}, True),  # envelope only: unaligned
    ({"spfVerdict": "GRAY", "dkimVerdict": "GRAY", "dmarcVerdict": "GRAY"}, True),
    ({"spfVerdict": "FAIL", "dkimVerdict": "PASS", "dmarcVerdict": "PASS"}, True),
    ({"spfVerdict": "PASS", "dkimVerdict": "FAIL", "dmarcVerdict": "PASS"}, True),
    ({"spfVerdict": "PROCESSING_FAILED", "dkimVerdict": "PASS", "dmarcVerdict": "PASS"}, False),
    ({"spamVerdict": "FAIL"}, True),
    ({"spfVerdict": None, "dkimVerdict": None, "dmarcVerdict": None}, True),  # no verdicts at all
])
def test_sender_verdicts(verdicts, suspect):
    note = _note("plain")
    for name, status in verdicts.items():
        if status is None:
            note["receipt"].pop(name, None)
        else:
            note["receipt"][name] = {"status": status}
    assert bool(email.parse_ses_notification(note).suspect) is suspect


def test_spoofed_mail_is_stored_as_suspect_never_reopens_and_is_never_acknowledged(client, pump, app):
    """A forged From: of a citizen whose request was resolved: stored apart, flagged, and nothing is sent."""
    from tests.outbound.conftest import emails_sent

    real = pump.invoke("inbound_email", _event("plain"))
    pump.drain()
    pump.drain()
    citizen = "ayse.yilmaz@example.com.tr"
    r = client.http.get(f"/requests/{real['request_id']}", headers=auth("admin")).json_body
    done = client.http.post(f"/requests/{r['id']}/status", headers=auth("admin"),
                            body=json.dumps({"status": "resolved", "version": r["version"], "note": "Değişti."}))
    assert done.status_code == 200
    pump.drain()
    pump.drain()
    sent_before = [m for m in emails_sent() if citizen in str(m.destinations)]
    spoofed = json.loads((FIXTURES / "ses" / "receipt_spoofed_from.sns.json").read_text())
    out = pump.invoke("inbound_email", spoofed)
    assert out["status"] == "ok" and out["new"] is True and out["request_id"] != real["request_id"]
    again = pump.invoke("inbound_email", spoofed)  # SNS redelivers: still one request
    assert again["request_id"] == out["request_id"] and again["new"] is False
    pump.drain()
    pump.drain()
    original = client.http.get(f"/requests/{real['request_id']}", headers=auth("admin")).json_body
    assert original["status"] == "resolved"  # not reopened
    assert not [e for e in original["timeline"] if e["type"] in ("citizen_reply", "reopened", "citizen_message")]
    suspect = client.http.get(f"/requests/{out['request_id']}", headers=auth("admin")).json_body
    assert suspect["suspect"] and "DMARC FAIL" in suspect["suspect"]
    received = [e for e in suspect["timeline"] if e["type"] == "received"][0]
    assert received["data"]["suspect"] == suspect["suspect"]
    assert not [e for e in suspect["timeline"] if e["type"] == "outbound"]  # no acknowledgement queued
    assert [m for m in emails_sent() if citizen in str(m.destinations)] == sent_before  # nothing sent (moto SES)


def test_garbage_is_a_payload_error():
    with pytest.raises(email.PayloadError):
        email.parse_ses_notification("not json")
    note = _note("plain")
    del note["content"]
    with pytest.raises(email.PayloadError):
        email.parse_ses_notification(note)


def test_sns_lambda_takes_each_mail_once_and_routes_it(client, pump, app):
    for _ in range(2):  # SNS delivers at least once
        out = pump.invoke("inbound_email", _event("plain"))
        assert out["status"] == "ok"
    first_id = out["request_id"]
    assert pump.invoke("inbound_email", _event("windows1254"))["new"] is True
    spam = _event("attachment")
    note = json.loads(spam["Records"][0]["Sns"]["Message"])
    note["receipt"]["spamVerdict"]["status"] = "FAIL"
    spam["Records"][0]["Sns"]["Message"] = json.dumps(note)
    assert pump.invoke("inbound_email", spam)["status"] == "ok"  # stored, but as suspect
    bad = copy.deepcopy(_event("plain"))
    bad["Records"][0]["Sns"]["Message"] = "{\"notificationType\": \"Received\"}"
    assert pump.invoke("inbound_email", bad)["status"] == "rejected"
    pump.drain()
    items = client.http.get("/requests?channel=email", headers=auth("admin")).json_body["items"]
    assert len(items) == 3 and [bool(i.get("suspect")) for i in items].count(True) == 1
    light = next(i for i in items if i["id"] == first_id)
    assert light["status"] == "routed" and light["department"]


def test_end_user_messaging_sms_once_and_opt_out(client, pump, app):
    from chalicelib import container
    from chalicelib.usecases.consent import is_opted_out

    event = json.loads((FIXTURES / "eum/inbound_sms.sns.json").read_text())
    a = pump.invoke("inbound_sms", event)
    b = pump.invoke("inbound_sms", event)
    assert a["status"] == "ok" and a["request_id"] == b["request_id"] and b["new"] is False
    stop = copy.deepcopy(event)
    msg = json.loads(stop["Records"][0]["Sns"]["Message"])
    msg.update(messageBody="İPTAL", inboundMessageId="0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c")
    stop["Records"][0]["Sns"]["Message"] = json.dumps(msg)
    assert pump.invoke("inbound_sms", stop)["status"] == "opted_out"
    assert is_opted_out("sms", "+905427654321", container.repository())
    pump.drain()
    items = client.http.get("/requests?channel=sms", headers=auth("admin")).json_body["items"]
    assert len(items) == 1 and items[0]["citizen"]["phone"] == "+905427654321"
    assert items[0]["department"]


def test_connect_flow_returns_a_flat_string_map_and_dedupes(client, pump, app):
    event = json.loads((FIXTURES / "connect/contact_flow_event.json").read_text())
    first = pump.invoke("connect_intake", event)
    assert first["status"] == "ok" and first["new"] == "true"
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in first.items())
    assert first["tracking_code_spoken"] == " ".join(first["tracking_code"])
    again = pump.invoke("connect_intake", event)
    assert again["tracking_code"] == first["tracking_code"] and again["new"] == "false"
    missing = copy.deepcopy(event)
    missing["Details"]["ContactData"]["Attributes"].pop("Talep")
    missing["Details"]["ContactData"]["ContactId"] = "other"
    err = pump.invoke("connect_intake", missing)
    assert err["status"] == "error" and "Talep" in err["message"]
    pump.drain()
    items = client.http.get("/requests?channel=phone", headers=auth("admin")).json_body["items"]
    assert len(items) == 1 and items[0]["tracking_code"] == first["tracking_code"]
    assert items[0]["department"] == "dis_kurum"  # water is the metropolitan utility (KASKİ), forwarded


def test_published_to_the_sns_topic_the_pump_delivers_it_to_the_lambda(client, pump, aws):
    """Locally, a message published to the inbound topics reaches the same functions (pump SNS→SQS bridge)."""
    import boto3

    pump.drain()  # subscribes the local bridge queues
    sns = boto3.client("sns", region_name="eu-central-1")
    sns.publish(TopicArn=aws["topics"]["inbound-email"], Message=_event("attachment")["Records"][0]["Sns"]["Message"],
                Subject="Amazon SES Email Receipt Notification")
    sms = json.loads((FIXTURES / "eum/inbound_sms.sns.json").read_text())["Records"][0]["Sns"]["Message"]
    sns.publish(TopicArn=aws["topics"]["inbound-sms"], Message=sms)
    sns.publish(TopicArn=aws["topics"]["inbound-sms"], Message=sms)  # at-least-once
    pump.drain()
    pump.drain()
    items = client.http.get("/requests", headers=auth("admin")).json_body["items"]
    assert sorted(i["channel"] for i in items) == ["email", "sms"]
    assert all(i["status"] == "routed" for i in items)
