"""Twilio SMS and Voice: signature (published vector, forged, proxied URL), parsing, dedupe, opt-out, TwiML."""
from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from chalicelib.channels.twilio import inbound as twilio
from tests.conftest import FIXTURES, auth

TOKEN = "twilio-test-token-0123456789"
BASE = "https://abc123.execute-api.eu-central-1.amazonaws.com/api"


def test_published_test_vector():
    params = {"CallSid": ["CA1234567890ABCDE"], "Caller": ["+12349013030"], "Digits": ["1234"],
              "From": ["+12349013030"], "To": ["+18005551212"]}
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio.compute_signature(url, params, "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    twilio.verify_signature(url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "12345")
    twilio.verify_signature("https://mycompany.com:443/myapp.php?foo=1&bar=2", params,
                            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "12345")
    with pytest.raises(twilio.SignatureError):
        twilio.verify_signature(url, {**params, "Digits": ["1235"]}, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "12345")
    with pytest.raises(twilio.SignatureError):
        twilio.verify_signature(url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "54321")
    with pytest.raises(twilio.SignatureError):
        twilio.verify_signature(url, params, None, "12345")


def test_public_url_keeps_the_stage_prefix():
    assert twilio.public_url(BASE + "/", "/webhooks/twilio/sms") == BASE + "/webhooks/twilio/sms"
    assert twilio.public_url(BASE, "/webhooks/twilio/sms", "a=1") == BASE + "/webhooks/twilio/sms?a=1"


def test_sms_parsing_turkish_text_and_media():
    cmd = twilio.sms_command(parse_qs((FIXTURES / "twilio/sms_inbound.txt").read_text(), keep_blank_values=True))
    assert cmd.channel.value == "sms" and cmd.channel_ref == "SM5f3c8a2b9d1e4f6a7b8c9d0e1f2a3b4c"
    assert "çöpler 3 gündür toplanmadı" in cmd.text and cmd.citizen.phone == "+905321234567"
    media = twilio.sms_command(parse_qs((FIXTURES / "twilio/sms_media.txt").read_text(), keep_blank_values=True))
    assert media.attachments[0].kind == "image" and media.attachments[0].url.startswith("https://api.twilio.com/")
    with pytest.raises(twilio.PayloadError):
        twilio.sms_command({"From": ["+905321234567"], "Body": ["x"]})


def _post(client, path, body: str, *, token=TOKEN, base=BASE, signature=None):
    params = parse_qs(body, keep_blank_values=True)
    sig = signature if signature is not None else twilio.compute_signature(base + path, params, token)
    return client.http.post(path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                      "X-Twilio-Signature": sig})


@pytest.fixture
def twilio_env(aws, monkeypatch):
    from chalicelib import container

    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    container.reset()
    yield
    container.reset()


def test_signed_sms_becomes_one_routed_request_even_when_redelivered(twilio_env, client, pump):
    body = (FIXTURES / "twilio/sms_inbound.txt").read_text()
    first = _post(client, "/webhooks/twilio/sms", body)
    assert first.status_code == 200, first.body
    assert first.headers["Content-Type"].startswith("text/xml")
    assert first.body.decode() == twilio.TWIML_EMPTY  # the acknowledgement is the `received` notification
    again = _post(client, "/webhooks/twilio/sms", body)
    assert again.status_code == 200 and again.body == first.body  # no second request
    pump.drain()
    items = client.http.get("/requests?channel=sms", headers=auth("admin")).json_body["items"]
    assert len(items) == 1
    assert items[0]["department"] == "temizlik" and items[0]["status"] == "routed"


def test_sms_citizen_is_acknowledged_once(twilio_env, client, pump):
    """TwiML answer and the `received` notification both acknowledged a Twilio SMS: one is enough."""
    from tests.outbound.conftest import sms_sent

    before = len(sms_sent())
    body = (FIXTURES / "twilio/sms_inbound.txt").read_text()
    replies = [_post(client, "/webhooks/twilio/sms", body) for _ in range(2)]  # delivered, then redelivered
    pump.drain()
    pump.drain()
    [item] = client.http.get("/requests?channel=sms", headers=auth("admin")).json_body["items"]
    code = item["tracking_code"]
    in_twiml = sum(r.body.decode().count("<Message") for r in replies)
    by_sns = [t for p, t in sms_sent()[before:] if p == "+905321234567" and code in t and "alındı" in t]
    assert in_twiml + len(by_sns) == 1, (in_twiml, by_sns)


def test_forged_or_unsigned_sms_is_rejected_with_403(twilio_env, client):
    body = (FIXTURES / "twilio/sms_inbound.txt").read_text()
    assert _post(client, "/webhooks/twilio/sms", body, token="wrong-token").status_code == 403
    # signed for the URL without the stage prefix (naive reconstruction) must not verify either
    assert _post(client, "/webhooks/twilio/sms", body,
                 base="https://abc123.execute-api.eu-central-1.amazonaws.com").status_code == 403
    tampered = body.replace("toplanmad%C4%B1", "toplandi")
    sig = twilio.compute_signature(BASE + "/webhooks/twilio/sms", parse_qs(body, keep_blank_values=True), TOKEN)
    assert _post(client, "/webhooks/twilio/sms", tampered, signature=sig).status_code == 403
    r = client.http.post("/webhooks/twilio/sms", body=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 403 and json.loads(r.body)["error"]["code"] == "forbidden"
    assert client.http.get("/requests", headers=auth("admin")).json_body["items"] == []


def test_signed_but_empty_sms_is_a_clear_400(twilio_env, client):
    r = _post(client, "/webhooks/twilio/sms", "From=%2B905321234567&Body=&MessageSid=SMx&NumMedia=0")
    assert r.status_code == 400 and "boş" in json.loads(r.body)["error"]["message"]


def test_iptal_opts_out_without_creating_a_request(twilio_env, client):
    from chalicelib import container
    from chalicelib.usecases.consent import is_opted_out

    assert not is_opted_out("sms", "+905321234567", container.repository())
    r = _post(client, "/webhooks/twilio/sms", (FIXTURES / "twilio/sms_iptal.txt").read_text())
    assert r.status_code == 200 and "durduruldu" in r.body.decode()
    assert is_opted_out("sms", "+905321234567", container.repository())
    assert not is_opted_out("sms", "+905051112233", container.repository())
    assert client.http.get("/requests", headers=auth("admin")).json_body["items"] == []
    # a later complaint from the same number is still taken in, but answered without an SMS
    later = _post(client, "/webhooks/twilio/sms", (FIXTURES / "twilio/sms_inbound.txt").read_text())
    assert later.status_code == 200 and later.body.decode() == twilio.TWIML_EMPTY
    assert len(client.http.get("/requests", headers=auth("admin")).json_body["items"]) == 1
    # its redelivery decides nothing in the transaction (dedupe), so the opt-out is looked up: still silent
    again = _post(client, "/webhooks/twilio/sms", (FIXTURES / "twilio/sms_inbound.txt").read_text())
    assert again.status_code == 200 and again.body.decode() == twilio.TWIML_EMPTY
    assert len(client.http.get("/requests", headers=auth("admin")).json_body["items"]) == 1
    back = _post(client, "/webhooks/twilio/sms", "From=%2B905321234567&Body=BASLAT&MessageSid=SMy&NumMedia=0")
    assert back.status_code == 200 and not is_opted_out("sms", "+905321234567", container.repository())


@pytest.mark.parametrize("text,expected", [("STOP", True), ("iptal", True), ("İPTAL", True), ("Iptal.", True),
                                           ("ıptal", True), ("stop the noise", False), ("İptal edilen otobüs", False)])
def test_opt_out_words(text, expected):
    from chalicelib.usecases.consent import is_opt_out_message

    assert is_opt_out_message(text) is expected


def test_voice_answers_in_turkish_and_the_recording_becomes_one_phone_request(twilio_env, client, pump):
    greet = _post(client, "/webhooks/twilio/voice", (FIXTURES / "twilio/voice_incoming.txt").read_text())
    assert greet.status_code == 200
    xml = greet.body.decode()
    assert '<Say language="tr-TR">' in xml and f'action="{BASE}/webhooks/twilio/voice/recording"' in xml
    rec = (FIXTURES / "twilio/voice_recording.txt").read_text()
    first = _post(client, "/webhooks/twilio/voice/recording", rec)
    assert first.status_code == 200 and "Takip kodunuz" in first.body.decode()
    assert _post(client, "/webhooks/twilio/voice/recording", rec).status_code == 200
    tr = _post(client, "/webhooks/twilio/voice/recording", (FIXTURES / "twilio/voice_transcription.txt").read_text())
    assert tr.status_code == 200
    items = client.http.get("/requests?channel=phone", headers=auth("admin")).json_body["items"]
    assert len(items) == 1
    got = client.http.get(f"/requests/{items[0]['id']}", headers=auth("admin")).json_body
    assert got["attachments"][0]["kind"] == "audio"
    # the recording is named by its SID; staff reach it through our listen endpoint, never Twilio's address
    assert got["attachments"][0]["provider_id"] == "RE1a2b3c4d5e6f708192a3b4c5d6e7f809"
    assert got["attachments"][0]["url"] == f"/requests/{got['id']}/voicemail"
    assert any(e["type"] == "transcription" and "lambaları" in e["data"]["text"] for e in got["timeline"])
    assert _post(client, "/webhooks/twilio/voice", "CallSid=CA1", token="forged").status_code == 403
