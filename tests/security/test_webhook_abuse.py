"""Forged, replayed and oversized webhooks, one table for every webhook endpoint (issue 11 "Bad input").

forged signature (or stolen Open311 key) → 401/403 and nothing stored; the same valid request again (for SES →
SNS e-mail: the same SNS MessageId redelivered) → no second request; an oversized body with a correct
signature → 413 and nothing stored. Then the HTTP layer is fuzzed: mutated bodies signed correctly never get
a 5xx.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qs, parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.channels.meta.inbound import sign as meta_sign
from chalicelib.channels.twilio.inbound import compute_signature
from chalicelib.channels.x.inbound import sign as x_sign
from chalicelib.channels.youtube.inbound import sign as yt_sign
from tests.conftest import FIXTURES, auth
from tests.fuzz.strategies import mutate

SECRETS = {"META_APP_SECRET": "meta-app-secret-for-tests", "META_VERIFY_TOKEN": "verify-me",
           "X_CONSUMER_SECRET": "x-consumer-secret-for-tests", "YOUTUBE_WEBSUB_SECRET": "websub-secret",
           "YOUTUBE_CHANNEL_ID": "UCx1b2c3d4e5f6g7h8i9j0kL", "YOUTUBE_API_KEY": "yt-api-key",
           "TWILIO_AUTH_TOKEN": "twilio-test-token-0123456789",
           "PUBLIC_BASE_URL": "https://abc123.execute-api.eu-central-1.amazonaws.com/api",
           "OPEN311_DEV_API_KEY": "dev-open311-key-for-tests"}
BIG = 1024 * 1024  # well above every webhook body limit


@pytest.fixture(autouse=True)
def secrets(monkeypatch):
    from chalicelib import container

    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    container.reset()
    yield
    container.reset()


def _json_post(path, header, signer, ctype="application/json"):
    def post(client, raw: bytes, forged: bool = False):
        return client.http.post(path, body=raw, headers={"Content-Type": ctype,
                                                         header: signer(raw, "forged-secret" if forged else None)})
    return post


def _twilio_post(path):
    def post(client, raw: bytes, forged: bool = False):
        params = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
        token = "forged-token" if forged else SECRETS["TWILIO_AUTH_TOKEN"]
        sig = compute_signature(SECRETS["PUBLIC_BASE_URL"] + path, params, token)
        return client.http.post(path, body=raw, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                         "X-Twilio-Signature": sig})
    return post


def _open311_post(client, raw: bytes, forged: bool = False):
    if forged:
        raw = raw.replace(SECRETS["OPEN311_DEV_API_KEY"].encode(), b"stolen-key")
    return client.http.post("/open311/v2/requests.json", body=raw,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})


@dataclass
class Hook:
    name: str
    post: Callable
    sample: bytes
    creates: int  # requests one delivery of the sample creates
    pad: Callable[[bytes], bytes]
    forged_status: tuple[int, ...] = (401, 403)


def _fx(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def _pad_json(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["pad"] = "x" * BIG
    return json.dumps(data).encode()


def _pad_form(raw: bytes) -> bytes:
    return raw + b"&pad=" + b"x" * BIG


meta = _json_post("/webhooks/meta", "X-Hub-Signature-256",
                  lambda raw, s: meta_sign(raw, s or SECRETS["META_APP_SECRET"]))
x = _json_post("/webhooks/x", "x-twitter-webhooks-signature",
               lambda raw, s: x_sign(raw, s or SECRETS["X_CONSUMER_SECRET"]))
youtube = _json_post("/webhooks/youtube", "X-Hub-Signature",
                     lambda raw, s: yt_sign(raw, s or SECRETS["YOUTUBE_WEBSUB_SECRET"]), "application/atom+xml")
OPEN311_FORM = urlencode({"api_key": SECRETS["OPEN311_DEV_API_KEY"], "service_code": "x",
                          "description": "Sokak lambası yanmıyor", "lat": "38.69", "long": "35.55"}).encode()

# SES → SNS → HTTPS (/webhooks/sns/email): SNS signs with its certificate (RSA, SignatureVersion 2). The test
# plays SNS with its own key and certificate, served by the injected certificate fetcher.
SNS_CERT_URL = ("https://sns.eu-central-1.amazonaws.com/"
                "SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem")
SNS_TOPIC = "arn:aws:sns:eu-central-1:123456789012:ulakbel-local-inbound-email"
_SNS_KEYS: dict = {}


def _sns_key(name: str):
    """("sns" = the real signer, "forged" = anyone else) → (private key, certificate PEM), made once."""
    if name not in _SNS_KEYS:
        from tests.support.sns_signer import sns_key_and_certificate

        _SNS_KEYS[name] = sns_key_and_certificate()
    return _SNS_KEYS[name]


def _sns_sign(message: dict, key_name: str = "sns") -> dict:
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from chalicelib.channels.email import sns

    message = {**message, "SignatureVersion": "2", "SigningCertURL": SNS_CERT_URL}
    signature = _sns_key(key_name)[0].sign(sns.string_to_sign(message), padding.PKCS1v15(), hashes.SHA256())
    return {**message, "Signature": base64.b64encode(signature).decode()}


def _sns_sample() -> bytes:
    """A signed SNS Notification carrying the recorded SES receipt of a citizen's e-mail."""
    sns_event = json.loads(_fx("email/ses_plain.sns.json"))["Records"][0]["Sns"]
    return json.dumps(_sns_sign({
        "Type": "Notification", "MessageId": sns_event["MessageId"], "TopicArn": SNS_TOPIC,
        "Subject": "Amazon SES Email Receipt Notification", "Message": sns_event["Message"],
        "Timestamp": sns_event["Timestamp"],
        "UnsubscribeURL": "https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe"})).encode()


def _sns_post(client, raw: bytes, forged: bool = False):
    from chalicelib import container

    container.override("sns_http_get", lambda url: _sns_key("sns")[1])  # SNS's certificate, whatever the URL
    if forged:  # the same notification signed by someone who is not SNS
        message = json.loads(raw)
        raw = json.dumps(_sns_sign({k: v for k, v in message.items() if k != "Signature"}, "forged")).encode()
    return client.http.post("/webhooks/sns/email", body=raw,
                            headers={"Content-Type": "text/plain; charset=UTF-8",
                                     "x-amz-sns-message-type": "Notification"})


HOOKS = [
    Hook("meta page feed", meta, _fx("meta/page_comment.json"), 1, _pad_json),
    Hook("meta messenger", meta, _fx("meta/messenger_text.json"), 1, _pad_json),
    Hook("meta instagram", meta, _fx("meta/instagram_dm.json"), 1, _pad_json),
    Hook("meta whatsapp", meta, _fx("meta/whatsapp_text.json"), 1, _pad_json),
    Hook("x", x, _fx("x/xaa_post.json"), 1, _pad_json),
    Hook("youtube", youtube, _fx("youtube/websub_upload.xml"), 0,
         lambda raw: raw.replace(b"</feed>", b"<!--" + b"x" * BIG + b"--></feed>")),
    Hook("twilio sms", _twilio_post("/webhooks/twilio/sms"), _fx("twilio/sms_inbound.txt").strip(), 1, _pad_form),
    Hook("twilio voice", _twilio_post("/webhooks/twilio/voice"), _fx("twilio/voice_incoming.txt").strip(), 0,
         _pad_form),
    Hook("twilio voice recording", _twilio_post("/webhooks/twilio/voice/recording"),
         _fx("twilio/voice_recording.txt").strip(), 1, _pad_form),
    Hook("twilio status", _twilio_post("/webhooks/twilio/status"), _fx("twilio/status_delivered.txt").strip(), 0,
         _pad_form),
    Hook("open311 POST", _open311_post, OPEN311_FORM, 1, _pad_form, (401, 403)),
    # the padding is a field outside SNS's string-to-sign, so the oversized body still carries a valid signature
    Hook("sns email", _sns_post, b"", 1, _pad_json, (403,)),
]


def stored(client) -> int:
    return len(client.http.get("/requests", headers=auth("admin")).json_body["items"])


def _open311_service(client) -> bytes:
    services = json.loads(client.http.get("/open311/v2/services.json").body)
    code = services[0]["service_code"]
    return OPEN311_FORM.replace(b"service_code=x", f"service_code={code}".encode())


def _sample(client, hook: Hook) -> bytes:
    if hook.name == "sns email":
        return _sns_sample()
    return _open311_service(client) if hook.name == "open311 POST" else hook.sample


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h.name)
def test_forged_replayed_and_oversized(client, hook):
    raw = _sample(client, hook)
    forged = hook.post(client, raw, forged=True)
    assert forged.status_code in hook.forged_status, forged.body[:300]
    assert stored(client) == 0

    big = hook.pad(raw)
    assert len(big) > BIG
    oversized = hook.post(client, big)
    assert oversized.status_code == 413, oversized.body[:300]
    assert stored(client) == 0

    first = hook.post(client, raw)
    assert first.status_code < 300, first.body[:300]
    if hook.name == "open311 POST":
        # Open311 has no delivery id: a repeated POST is a new report by design, but never a half-written one
        assert stored(client) == 1
        return
    replay = hook.post(client, raw)
    assert replay.status_code < 300, replay.body[:300]
    assert stored(client) == hook.creates
    print(f"\n{hook.name}: forged {forged.status_code}, oversized {oversized.status_code}, "
          f"first {first.status_code}, replay {replay.status_code}, stored {stored(client)}")


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h.name)
def test_signed_mutated_bodies_never_get_5xx(client, hook):
    raw = _sample(client, hook)
    statuses: dict[int, int] = {}
    if raw.lstrip()[:1] in (b"{", b"["):
        bodies = mutate(json.loads(raw)).map(lambda d: json.dumps(d, default=str).encode())
    elif raw.lstrip()[:1] == b"<":
        bodies = st.builds(lambda n, tail: raw[:n] + tail, st.integers(0, len(raw)), st.binary(max_size=40))
    else:
        pairs = parse_qsl(raw.decode(), keep_blank_values=True)
        bodies = st.lists(st.one_of(st.sampled_from(pairs), st.tuples(st.text(max_size=10), st.text(max_size=30))),
                          max_size=len(pairs) + 2).map(lambda ps: urlencode(ps).encode())
    bodies = st.one_of(bodies, st.binary(max_size=200))

    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(body=bodies)
    def run(body):
        res = hook.post(client, body)
        statuses[res.status_code] = statuses.get(res.status_code, 0) + 1
        assert res.status_code < 500, res.body[:500]

    run()
    print(f"\n{hook.name} signed fuzz: {dict(sorted(statuses.items()))}")


@pytest.mark.parametrize("cert_url", [5, ["https://sns.eu-central-1.amazonaws.com/c.pem"], None,
                                      "https://sns.eu-central-1.amazonaws.com:99999/c.pem",
                                      "https://sns.eu-central-1.amazonaws.com:port/c.pem", "https://[::1/c.pem"])
def test_sns_certificate_url_of_any_shape_is_403_not_5xx(client, cert_url):
    """Found by the signed fuzz above: a non-string or unparsable SigningCertURL once raised (500)."""
    message = {**json.loads(_sns_sample()), "SigningCertURL": cert_url}
    r = _sns_post(client, json.dumps(message).encode())
    assert r.status_code == 403, r.body[:300]
    assert stored(client) == 0
