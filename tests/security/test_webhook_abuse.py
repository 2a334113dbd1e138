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


# -- Issue 17: forgery, spoofing, public-endpoint abuse and exactly-once, one table -------------------------
# Each row plays the attack (or the race) against the real handlers on moto and returns what each request got
# and the expected answer; the table then checks what was stored (requests) and what was sent (SMS through
# moto's SNS, e-mail through moto's SES) during the attack — after the pump delivered every stream record and
# queue message the attack could have caused.

def _sent() -> int:
    from tests.outbound.conftest import emails_sent, sms_sent

    return len(sms_sent()) + len(emails_sent())


def _requests(client) -> list[dict]:
    return client.http.get("/requests?limit=100", headers=auth("admin")).json_body["items"]


def _status(client, rid, status, note=None):
    cur = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body
    r = client.http.post(f"/requests/{rid}/status", headers=auth("admin"),
                         body=json.dumps({"status": status, "note": note, "version": cur["version"]}))
    assert r.status_code == 200, r.body


def _citizen_sms(client, pump, phone="+905321234567"):
    """A citizen's SMS through Twilio, routed and acknowledged (setup, before the attack is measured)."""
    body = (FIXTURES / "twilio/sms_inbound.txt").read_text().strip()
    r = _twilio_post("/webhooks/twilio/sms")(client, body.encode())
    assert r.status_code == 200
    pump.drain()
    pump.drain()
    return _requests(client)[0]


def _sns_notification(message: str, topic: str = SNS_TOPIC, message_id: str = "6f4b1c2e-1111-4a5b-9c8d-7e6f5a4b3c2d"):
    return json.dumps(_sns_sign({"Type": "Notification", "MessageId": message_id, "TopicArn": topic,
                                 "Subject": "Amazon SES Email Receipt Notification", "Message": message,
                                 "Timestamp": "2026-11-24T21:02:11.790Z",
                                 "UnsubscribeURL": "https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe"
                                 })).encode()


def row_x_crc_oracle(client, pump, monkeypatch):
    body = _fx("x/xaa_post.json")
    crc = client.http.get("/webhooks/x?" + urlencode({"crc_token": body.decode()}))
    answer = crc.json_body.get("response_token", "") if crc.status_code == 200 else ""
    post = client.http.post("/webhooks/x", body=body, headers={"Content-Type": "application/json",
                                                                "x-twitter-webhooks-signature": answer})
    return [("GET /webhooks/x?crc_token=<a webhook JSON body>", crc.status_code, 400),
            ("POST /webhooks/x signed with that CRC answer", post.status_code, 401)]


def row_x_crc_rate(client, pump, monkeypatch):
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_CRC", "3/3600")
    got = [client.http.get("/webhooks/x?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553").status_code
           for _ in range(4)]
    return [("GET /webhooks/x?crc_token=<X-shaped> ×3", tuple(got[:3]), (200, 200, 200)),
            ("4th CRC from the same address (limit 3/h)", got[3], 429)]


def row_sns_foreign_topic(client, pump, monkeypatch):
    from chalicelib import container

    fetched: list[str] = []
    container.override("sns_http_get", lambda url: fetched.append(url) or _sns_key("sns")[1])
    evil = "arn:aws:sns:eu-central-1:999999999999:ulakbel-local-inbound-email"
    url = f"https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn={evil}&Token=abc"
    confirm = json.dumps(_sns_sign({"Type": "SubscriptionConfirmation", "MessageId": "1", "Token": "abc",
                                    "TopicArn": evil, "Message": "You have chosen to subscribe",
                                    "SubscribeURL": url, "Timestamp": "2026-11-28T10:00:00.000Z"})).encode()
    r1 = client.http.post("/webhooks/sns/email", body=confirm, headers={"Content-Type": "text/plain"})
    sns_event = json.loads(_fx("email/ses_plain.sns.json"))["Records"][0]["Sns"]
    r2 = client.http.post("/webhooks/sns/email", body=_sns_notification(sns_event["Message"], evil),
                          headers={"Content-Type": "text/plain"})
    return [("SubscriptionConfirmation, attacker account's topic of our name", r1.status_code, 403),
            ("confirmation URL fetched", url in fetched, False),
            ("Notification from that topic", r2.status_code, 403)]


def row_ses_spoofed_from(client, pump, monkeypatch):
    from chalicelib import container

    container.override("sns_http_get", lambda url: _sns_key("sns")[1])
    real = client.http.post("/webhooks/sns/email", body=_sns_sample(), headers={"Content-Type": "text/plain"})
    pump.drain()
    _status(client, real.json_body["request_id"], "resolved", "Lamba değişti.")
    pump.drain()
    pump.drain()
    before = _counts(client)
    spoofed = json.loads(_fx("../fixtures/ses/receipt_spoofed_from.sns.json"))["Records"][0]["Sns"]["Message"]
    r = client.http.post("/webhooks/sns/email", body=_sns_notification(spoofed),
                         headers={"Content-Type": "text/plain"})
    original = client.http.get(f"/requests/{real.json_body['request_id']}", headers=auth("admin")).json_body
    return [("SES receipt, From: a citizen, DMARC FAIL, In-Reply-To her mail", r.status_code, 200),
            ("her resolved request reopened", original["status"] != "resolved", False),
            ("stored as suspect", bool(r.json_body.get("new")) and bool(
                client.http.get(f"/requests/{r.json_body['request_id']}", headers=auth("admin")).json_body["suspect"]),
             True)], before


def row_youtube_third_party_unsubscribe(client, pump, monkeypatch):
    from chalicelib.channels.youtube.inbound import topic_url

    params = {"hub.mode": "unsubscribe", "hub.topic": topic_url(SECRETS["YOUTUBE_CHANNEL_ID"]),
              "hub.challenge": "evil-challenge"}
    r1 = client.http.get("/webhooks/youtube?" + urlencode(params))
    r2 = client.http.get("/webhooks/youtube?" + urlencode({**params, "hub.mode": "subscribe"}))
    return [("WebSub unsubscribe we never asked for", r1.status_code, 404),
            ("WebSub subscribe we never asked for (would replace hub.secret)", r2.status_code, 404)]


def row_tracking_lockout(client, pump, monkeypatch):
    from chalicelib.handlers import outbound_api

    req = _citizen_sms(client, pump)
    before = _counts(client)
    monkeypatch.setattr(outbound_api, "_client", lambda request: "198.51.100.66")
    wrong = [client.http.get(f"/track/{req['tracking_code']}?phone_last4={1000 + n}").status_code
             for n in range(11)]
    monkeypatch.setattr(outbound_api, "_client", lambda request: "203.0.113.7")
    citizen = client.http.get(f"/track/{req['tracking_code']}?phone_last4=4567")
    return [("10 wrong phone digits for one code, one address", tuple(set(wrong[:10])), (404,)),
            ("11th try from that address", wrong[10], 429),
            ("the citizen, from her address, right digits", citizen.status_code, 200)], before


def _resolved_email_request(client, pump):
    from chalicelib import container
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.usecases.intake import intake

    made, _ = intake(IntakeCommand(channel=Channel.email, text="Kaldırım çöktü", channel_ref="<k1@example.org>",
                                   citizen=Citizen(email="veli@example.com.tr")), container.repository())
    pump.drain()
    _status(client, made.id, "resolved", "Onarıldı.")
    pump.drain()
    pump.drain()
    return made


def row_signed_links(client, pump, monkeypatch):
    from chalicelib import container
    from chalicelib.domain.models import utcnow
    from chalicelib.usecases.notify import link_signature, signed_query

    made = _resolved_email_request(client, pump)
    before = _counts(client)
    key, code = container.outbound_settings().link_key, made.tracking_code
    track = signed_query(key, "track", code, utcnow())
    old = link_signature(key, "survey", code, 1_600_000_000)
    r1 = client.http.get(f"/survey/{code}?{track}&score=5")
    r2 = client.http.get(f"/survey/{code}?exp=1600000000&sig={old}&score=5")
    r3 = client.http.get(f"/track/{code}?{signed_query(key, 'survey', code, utcnow())}")
    return [("survey answered with the tracking link's sig", r1.status_code, 404),
            ("survey link expired", r2.status_code, 404),
            ("tracking with the survey link's sig", r3.status_code, 404)], before


def row_survey_scores(client, pump, monkeypatch):
    from chalicelib import container
    from chalicelib.domain.models import utcnow
    from chalicelib.usecases.notify import signed_query

    made = _resolved_email_request(client, pump)
    before = _counts(client)
    query = signed_query(container.outbound_settings().link_key, "survey", made.tracking_code, utcnow())
    got = {s: client.http.get(f"/survey/{made.tracking_code}?{query}&score={s}").status_code
           for s in ("", "0", "9")}
    stored_score = client.http.get(f"/requests/{made.id}", headers=auth("admin")).json_body["satisfaction"]
    first = client.http.get(f"/survey/{made.tracking_code}?{query}&score=4").status_code
    second = client.http.get(f"/survey/{made.tracking_code}?{query}&score=1").status_code
    return [("survey score= (empty, as the e-mail once sent it), 0, 9", tuple(got.values()), (400, 400, 400)),
            ("satisfaction stored by those", stored_score, None),
            ("score=4, then score=1 (once)", (first, second), (200, 409))], before


def row_csv_formula(client, pump, monkeypatch):
    import csv
    import io

    from chalicelib import container
    from chalicelib.domain.models import Channel, IntakeCommand, Location
    from chalicelib.usecases.intake import intake

    intake(IntakeCommand(channel=Channel.phone, text="Çöp toplanmadı", channel_ref="imp-1",
                         location=Location(neighbourhood='=HYPERLINK("http://evil.example","x")')),
           container.repository())
    pump.drain()
    before = _counts(client)
    r = client.http.get("/analytics/export?format=csv", headers=auth("admin"))
    cells = [c for row in csv.reader(io.StringIO(r.body.decode("utf-8-sig"))) for c in row]
    return [("GET /analytics/export?format=csv, a mahalle named =HYPERLINK(…)", r.status_code, 200),
            ("cells starting a formula", [c for c in cells if c[:1] in "=+-@\t\r" and c], [])], before


def row_console_link(client, pump, monkeypatch):
    from chalicelib import container
    from chalicelib.domain.models import Attachment, Channel, IntakeCommand
    from chalicelib.usecases.intake import intake
    from tests.console.helpers import session

    made, _ = intake(IntakeCommand(channel=Channel.phone, text="Foto ekte", channel_ref="att-9", attachments=[
        Attachment(kind="image", url="//evil.example/x.jpg", name="foto")]), container.repository())
    before = _counts(client)
    page = client.http.get(f"/console/requests/{made.id}", headers=session("admin")[0])
    return [("console request page, attachment //evil.example/x.jpg", page.status_code, 200),
            ("rendered as a link", 'href="//evil.example' in page.body.decode(), False)], before


def row_outbound_race(client, pump, monkeypatch):
    import threading

    from chalicelib import container
    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases import outbound
    from tests.outbound.test_reliability import _Barrier

    req = _citizen_sms(client, pump)
    before = _counts(client)
    m = OutboundMessage(message_id="01JRACETABLE", request_id=req["id"], route="sms", to="+905321234567",
                        kind="reply", text="Ekip yolda.", created_at="2026-11-29T00:00:00Z")
    racing, outcomes = _Barrier(container.repository(), 2), []
    threads = [threading.Thread(target=lambda: outcomes.append(
        outbound.send(m, racing, container.outbound_senders()))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return [("one reply consumed by two consumers at once", tuple(sorted(outcomes)), ("duplicate", "sent"))], \
        before, 1


def row_forward_conflict(client, pump, monkeypatch):
    from chalicelib import container
    from chalicelib.auth import Principal
    from chalicelib.domain.errors import Conflict
    from chalicelib.usecases import workflow

    created = client.http.post("/requests", headers=auth("agent"), body=json.dumps(
        {"channel": "phone", "channel_ref": "fw-1", "text": "Yenidoğan mahallesinde çöpler toplanmadı"}))
    pump.drain()
    req = client.http.get(f"/requests/{created.json_body['id']}", headers=auth("admin")).json_body
    repo = container.repository()

    class Racing:
        def save(self, request, *, expected_version, events, **kw):
            cur = repo.get(request.id, with_timeline=False)
            repo.save(cur.model_copy(update={"assignee": "x", "version": cur.version + 1, "timeline": []}),
                      expected_version=cur.version, events=[])
            return repo.save(request, expected_version=expected_version, events=events, **kw)

        def __getattr__(self, name):
            return getattr(repo, name)

    before = _counts(client)
    lead = Principal(sub="lead", role="department", department=req["department"], lead=True)
    try:
        workflow.forward(Racing(), container.task_queue(), lead, req["id"],
                         workflow.ForwardBody(department="park", note="park", version=req["version"]))
        status = 200
    except Conflict:
        status = 409
    tasks = client.http.get("/departments/park/tasks?max=10", headers=auth("admin")).json_body["tasks"]
    return [("forward losing a version race", status, 409), ("tasks the other department got", len(tasks), 0)], \
        before


def row_twilio_single_ack(client, pump, monkeypatch):
    from tests.outbound.conftest import sms_sent

    before = _counts(client)
    body = (FIXTURES / "twilio/sms_inbound.txt").read_text().strip()
    replies = [_twilio_post("/webhooks/twilio/sms")(client, body.encode()) for _ in range(2)]  # + redelivery
    pump.drain()
    pump.drain()
    code = _requests(client)[0]["tracking_code"]
    acks = sum(r.body.decode().count("<Message") for r in replies) + len(
        [t for _, t in sms_sent() if code in t and "alındı" in t])
    return [("citizen SMS by Twilio, delivered twice: acknowledgements (TwiML + SNS)", acks, 1)], before


def row_second_resolution(client, pump, monkeypatch):
    from chalicelib import container
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.usecases.intake import intake

    req = _citizen_sms(client, pump)
    _status(client, req["id"], "resolved", "Toplandı.")
    pump.drain()
    pump.drain()
    intake(IntakeCommand(channel=Channel.sms, text="Yine toplanmadı", channel_ref="SMre2",
                         citizen=Citizen(phone="+905321234567")), container.repository())
    pump.drain()
    before = _counts(client)
    _status(client, req["id"], "resolved", "Yeniden toplandı.")
    pump.drain()
    pump.drain()
    return [("resolved, reopened by the citizen, resolved again", "resolved", "resolved")], before, 1


def _counts(client) -> tuple[int, int]:
    return len(_requests(client)), _sent()


ROWS = {"X CRC signing oracle": row_x_crc_oracle, "X CRC rate limit": row_x_crc_rate,
        "SNS topic of our name, other account": row_sns_foreign_topic,
        "SES spoofed From (DMARC FAIL)": row_ses_spoofed_from,
        "YouTube WebSub third-party (un)subscribe": row_youtube_third_party_unsubscribe,
        "tracking lockout of a citizen": row_tracking_lockout, "signed link purpose/expiry": row_signed_links,
        "survey score empty/out of range/twice": row_survey_scores, "CSV formula injection": row_csv_formula,
        "console //host attachment link": row_console_link, "outbound: two consumers race": row_outbound_race,
        "forward: version conflict": row_forward_conflict, "Twilio SMS: one acknowledgement": row_twilio_single_ack,
        "second resolution notice": row_second_resolution}
# stored = new requests, sent = SMS/e-mails during the measured part (default: nothing stored, nothing sent)
EXPECTED = {"SES spoofed From (DMARC FAIL)": (1, 0), "outbound: two consumers race": (0, 1),
            "Twilio SMS: one acknowledgement": (1, 2),  # the acknowledgement and the "routed" notice
            "second resolution notice": (0, 1)}


@pytest.mark.parametrize("name", list(ROWS))
def test_issue17_abuse_table(client, pump, monkeypatch, name):
    start = _counts(client)
    out = ROWS[name](client, pump, monkeypatch)
    results, before = (out[0], out[1]) if isinstance(out, tuple) else (out, start)
    pump.drain()
    pump.drain()
    after = _counts(client)
    stored_delta, sent_delta = after[0] - before[0], after[1] - before[1]
    for label, got, expected in results:
        assert got == expected, f"{name}: {label}: got {got!r}, expected {expected!r}"
    assert (stored_delta, sent_delta) == EXPECTED.get(name, (0, 0)), (name, stored_delta, sent_delta)
    print(f"\n| {name} | " + "; ".join(f"{label} → {got}" for label, got, _ in results)
          + f" | stored {stored_delta} | sent {sent_delta} |")
