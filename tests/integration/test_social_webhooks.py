"""Social webhooks through the Chalice test client + moto: signatures, handshakes, dedupe, routing."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from chalicelib.channels.meta.inbound import sign as meta_sign
from chalicelib.channels.x.inbound import sign as x_sign
from chalicelib.channels.youtube.inbound import sign as yt_sign
from chalicelib.channels.youtube.inbound import topic_url
from tests.conftest import FIXTURES, auth

SECRETS = {"META_APP_SECRET": "meta-app-secret-for-tests", "META_VERIFY_TOKEN": "verify-me",
           "X_CONSUMER_SECRET": "x-consumer-secret-for-tests", "YOUTUBE_WEBSUB_SECRET": "websub-secret",
           "YOUTUBE_CHANNEL_ID": "UCx1b2c3d4e5f6g7h8i9j0kL", "YOUTUBE_API_KEY": "yt-api-key"}


@pytest.fixture(autouse=True)
def secrets(monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def post_meta(client, raw: bytes, secret: str = SECRETS["META_APP_SECRET"], **headers):
    h = {"Content-Type": "application/json", "X-Hub-Signature-256": meta_sign(raw, secret), **headers}
    return client.http.post("/webhooks/meta", headers={k: v for k, v in h.items() if v is not None}, body=raw)


def post_x(client, raw: bytes, secret: str = SECRETS["X_CONSUMER_SECRET"]):
    return client.http.post("/webhooks/x", body=raw, headers={"Content-Type": "application/json",
                                                              "x-twitter-webhooks-signature": x_sign(raw, secret)})


def listed(client, channel: str | None = None) -> list[dict]:
    q = f"?channel={channel}" if channel else ""
    return client.http.get(f"/requests{q}", headers=auth("admin")).json_body["items"]


# -- Meta ---------------------------------------------------------------------------------------

def test_meta_handshake(client):
    ok = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    resp = client.http.get("/webhooks/meta?" + urlencode(ok))
    assert resp.status_code == 200 and resp.body == b"1158201444"
    assert resp.headers["Content-Type"].startswith("text/plain")
    bad = client.http.get("/webhooks/meta?" + urlencode({**ok, "hub.verify_token": "guess"}))
    assert bad.status_code == 403


def test_page_comment_redelivered_three_times_is_one_request(client):
    raw = fixture("meta/page_comment.json")
    statuses = [post_meta(client, raw).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    [item] = listed(client)
    assert item["channel"] == "facebook" and item["channel_ref"] == "1029384756102938_882233445566778"
    assert item["citizen"] == {**item["citizen"], "platform_id": "7412589630125874", "name": "Ayşe Yılmaz"}


@pytest.mark.parametrize("header", ["missing", "forged", "stale"])
def test_bad_signature_is_401_and_nothing_stored(client, header):
    raw = fixture("meta/messenger_text.json")
    sig = {"missing": None, "forged": "sha256=" + "a" * 64,
           "stale": meta_sign(raw, "last-years-secret")}[header]
    resp = client.http.post("/webhooks/meta", body=raw,
                            headers={"Content-Type": "application/json", **({"X-Hub-Signature-256": sig} if sig else {})})
    assert resp.status_code == 401 and resp.json_body["error"]["code"] == "unauthenticated"
    assert listed(client) == []


def test_body_changed_after_signing_is_rejected(client):
    raw = fixture("meta/messenger_text.json")
    resp = client.http.post("/webhooks/meta", body=raw.replace(b"patlad", b"PATLAD"),
                            headers={"Content-Type": "application/json", "X-Hub-Signature-256": meta_sign(raw, SECRETS["META_APP_SECRET"])})
    assert resp.status_code == 401


def test_malformed_json_wrong_type_and_oversize(client):
    assert post_meta(client, b'{"object": "page", "entry": [').status_code == 400
    assert post_meta(client, b'{"object": "user", "entry": []}').status_code == 400
    raw = fixture("meta/messenger_text.json")
    wrong = client.http.post("/webhooks/meta", body=raw, headers={"Content-Type": "text/html",
                                                                  "X-Hub-Signature-256": meta_sign(raw, SECRETS["META_APP_SECRET"])})
    assert wrong.status_code == 415
    big = json.dumps({"object": "page", "entry": [], "pad": "x" * (300 * 1024)}).encode()
    assert post_meta(client, big).status_code == 413
    assert listed(client) == []


def test_messenger_batch_and_instagram_each_message_once(client):
    resp = post_meta(client, fixture("meta/messenger_batch.json"))
    assert resp.status_code == 200 and resp.json_body == {"received": 3, "created": 3, "ignored": 3,
                                                          "delivery_updates": 1}
    for name in ("instagram_comment.json", "instagram_dm.json"):
        assert post_meta(client, fixture(f"meta/{name}")).status_code == 200
    assert sorted(i["channel_ref"] for i in listed(client, "facebook")) == \
        ["m_first_0001", "m_image_0004", "m_location_0003"]
    ig = listed(client, "instagram")
    assert len(ig) == 2 and {i["citizen"]["platform_id"] for i in ig} == {"17841400000111222", "1193748561039485"}
    located = next(i for i in listed(client, "facebook") if i["channel_ref"] == "m_location_0003")
    assert located["location"]["lat"] == 41.0151


def test_whatsapp_statuses_create_no_request_and_reach_delivery_tracking(client, monkeypatch):
    from chalicelib.handlers import webhooks_social

    seen = []
    monkeypatch.setattr(webhooks_social, "record_delivery_updates", seen.extend)
    resp = post_meta(client, fixture("meta/whatsapp_status.json"))
    assert resp.status_code == 200 and resp.json_body["delivery_updates"] == 2
    assert [u.status for u in seen] == ["delivered", "failed"] and seen[0].platform == "whatsapp"
    assert listed(client) == []


def test_whatsapp_text_is_routed_to_its_department(client, pump, aws):
    import boto3

    assert post_meta(client, fixture("meta/whatsapp_text.json")).status_code == 200
    assert post_meta(client, fixture("meta/whatsapp_text.json")).json_body["created"] == 0
    pump.drain()
    [item] = listed(client)
    assert item["channel"] == "whatsapp" and item["citizen"]["phone"] == "+905321112233"
    assert item["status"] == "routed" and item["department"] == "temizlik"
    sqs = boto3.client("sqs", region_name="eu-central-1")
    attrs = sqs.get_queue_attributes(QueueUrl=aws["queues"]["temizlik"],
                                     AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert int(attrs["ApproximateNumberOfMessages"]) == 1


# -- X ----------------------------------------------------------------------------------------------

def test_x_crc(client):
    token = "9b4507b3-9040-4669-9ca3-6b94edb50553"  # X's published sample token
    resp = client.http.get(f"/webhooks/x?crc_token={token}")
    assert resp.status_code == 200
    from chalicelib.channels.x.inbound import crc_response

    assert resp.json_body == crc_response(token, SECRETS["X_CONSUMER_SECRET"])
    assert client.http.get("/webhooks/x?crc_token=test+token").status_code == 400  # not X's token shape
    assert client.http.get("/webhooks/x").status_code == 400


def test_x_both_payload_styles_deduped(client):
    for name in ("aaa_mention.json", "aaa_dm.json", "xaa_post.json", "xaa_dm.json", "aaa_mention.json"):
        assert post_x(client, fixture(f"x/{name}")).status_code == 200
    items = listed(client, "x")
    assert sorted(i["channel_ref"] for i in items) == ["1994512345678901234", "1994512345678905555",
                                                       "1994512345678907777", "1994512345678908888"]


def test_x_bad_signature(client):
    raw = fixture("x/aaa_dm.json")
    assert post_x(client, raw, secret="stale").status_code == 401
    assert client.http.post("/webhooks/x", body=raw, headers={"Content-Type": "application/json"}).status_code == 401
    assert listed(client) == []


# -- YouTube -------------------------------------------------------------------------------------------

def test_youtube_intent_verification(client, pump, monkeypatch):
    from chalicelib.channels.youtube.api import YouTubeApi
    from chalicelib.handlers import webhooks_social

    params = {"hub.mode": "subscribe", "hub.topic": topic_url(SECRETS["YOUTUBE_CHANNEL_ID"]),
              "hub.challenge": "c-42", "hub.lease_seconds": "432000"}
    # nobody asked the hub yet: a subscribe intent is a stranger's (it could replace our hub.secret)
    assert client.http.get("/webhooks/youtube?" + urlencode(params)).status_code == 404
    monkeypatch.setattr(webhooks_social, "youtube_api", lambda: YouTubeApi("k", lambda *a: (202, b"")))
    pump.invoke("youtube_renew_websub", {"version": "0", "id": "1", "detail-type": "Scheduled Event",
                                         "source": "aws.events", "account": "123456789012",
                                         "time": "2026-11-29T03:00:00Z", "region": "eu-central-1",
                                         "resources": [], "detail": {}})
    resp = client.http.get("/webhooks/youtube?" + urlencode(params))
    assert resp.status_code == 200 and resp.body == b"c-42"
    # a third party cannot cancel our subscription: we never asked to unsubscribe
    unsub = {**params, "hub.mode": "unsubscribe", "hub.challenge": "evil"}
    assert client.http.get("/webhooks/youtube?" + urlencode(unsub)).status_code == 404
    other = {**params, "hub.topic": topic_url("UCnotours")}
    assert client.http.get("/webhooks/youtube?" + urlencode(other)).status_code == 404


def test_youtube_without_channel_id_accepts_nothing_locally_and_refuses_outside(client, monkeypatch):
    from chalicelib import container

    monkeypatch.delenv("YOUTUBE_CHANNEL_ID")
    container.reset()
    params = {"hub.mode": "subscribe", "hub.topic": topic_url("UCanyonesChannel00000000"), "hub.challenge": "c"}
    assert client.http.get("/webhooks/youtube?" + urlencode(params)).status_code == 404
    raw = fixture("youtube/websub_upload.xml")
    headers = {"Content-Type": "application/atom+xml", "X-Hub-Signature": yt_sign(raw, SECRETS["YOUTUBE_WEBSUB_SECRET"])}
    assert client.http.post("/webhooks/youtube", body=raw, headers=headers).json_body == {"videos": 0}
    # outside local/test (the Chalice test client always runs the local stage, so asked directly): a clear
    # configuration error, which the endpoint answers 503 and the schedules raise (alarm)
    from chalicelib.domain.errors import TemporarilyUnavailable
    from chalicelib.handlers.webhooks_social import youtube_channel_id

    monkeypatch.setenv("ULAKBEL_STAGE", "prod")
    container.reset()
    with pytest.raises(TemporarilyUnavailable, match="YOUTUBE_CHANNEL_ID"):
        youtube_channel_id()


def test_youtube_push_for_another_channel_is_not_recorded(client):
    from chalicelib.handlers.webhooks_social import youtube_state

    raw = fixture("youtube/websub_upload.xml").replace(SECRETS["YOUTUBE_CHANNEL_ID"].encode(),
                                                       b"UCsomeoneElsesChannel000")
    headers = {"Content-Type": "application/atom+xml", "X-Hub-Signature": yt_sign(raw, SECRETS["YOUTUBE_WEBSUB_SECRET"])}
    r = client.http.post("/webhooks/youtube", body=raw, headers=headers)
    assert r.status_code == 200 and r.json_body == {"videos": 0}
    assert youtube_state().get_video("Zk3mP9qR2sT") is None


def test_youtube_push_records_the_upload(client):
    from chalicelib.handlers.webhooks_social import youtube_state

    raw = fixture("youtube/websub_upload.xml")
    headers = {"Content-Type": "application/atom+xml", "X-Hub-Signature": yt_sign(raw, SECRETS["YOUTUBE_WEBSUB_SECRET"])}
    resp = client.http.post("/webhooks/youtube", body=raw, headers=headers)
    assert resp.status_code == 200 and resp.json_body == {"videos": 1}
    assert youtube_state().get_video("Zk3mP9qR2sT")["title"]["S"] == "Belediye Meclisi Kasım Toplantısı"
    bad = client.http.post("/webhooks/youtube", body=raw,
                           headers={**headers, "X-Hub-Signature": yt_sign(raw, "stale")})
    assert bad.status_code == 401
    assert client.http.post("/webhooks/youtube", body=b"<feed", headers={
        **headers, "X-Hub-Signature": yt_sign(b"<feed", SECRETS["YOUTUBE_WEBSUB_SECRET"])}).status_code == 400
    assert listed(client) == []  # uploads are not requests


def test_scheduled_comment_poll_creates_requests_once(client, pump, monkeypatch):
    from chalicelib.channels.youtube.api import YouTubeApi
    from chalicelib.handlers import webhooks_social

    pages = {None: fixture("youtube/comment_threads_page1.json"), "QURTSl9pMlQ": fixture("youtube/comment_threads_page2.json")}

    def transport(method, url, headers, body):
        from urllib.parse import parse_qs, urlparse

        return 200, pages[parse_qs(urlparse(url).query).get("pageToken", [None])[0]]

    monkeypatch.setattr(webhooks_social, "youtube_api", lambda: YouTubeApi("yt-api-key", transport))
    from datetime import datetime, timezone

    # the recorded comments are from 2026-11-29; pretend the mark is a day earlier
    webhooks_social.youtube_state().set_mark(SECRETS["YOUTUBE_CHANNEL_ID"],
                                             datetime(2026, 11, 28, tzinfo=timezone.utc))
    event = {"version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602", "detail-type": "Scheduled Event",
             "source": "aws.events", "account": "123456789012", "time": "2026-11-29T03:00:00Z",
             "region": "eu-central-1", "resources": ["arn:aws:events:eu-central-1:123456789012:rule/yt"],
             "detail": {}}
    first = pump.invoke("youtube_poll_comments", event)
    assert first == {"comments": 3, "created": 3, "ignored": 1}
    assert pump.invoke("youtube_poll_comments", event)["created"] == 0
    items = listed(client, "youtube")
    assert sorted(i["channel_ref"] for i in items) == ["UgzA1", "UgzC3", "UgzD4"]
    assert webhooks_social.youtube_state().get_mark(SECRETS["YOUTUBE_CHANNEL_ID"]) == \
        datetime(2026, 11, 29, 2, 50, tzinfo=timezone.utc)


# -- every fixture: three deliveries, one set of requests --------------------------------------------

@pytest.mark.parametrize("name,expected", [
    ("meta/page_comment.json", 1), ("meta/page_feed_batch.json", 2), ("meta/messenger_text.json", 1),
    ("meta/messenger_batch.json", 3), ("meta/instagram_comment.json", 1), ("meta/instagram_dm.json", 1),
    ("meta/whatsapp_text.json", 1), ("meta/whatsapp_location.json", 3), ("meta/whatsapp_status.json", 0),
    ("meta/whatsapp_bsuid.json", 1), ("x/aaa_mention.json", 1), ("x/aaa_dm.json", 1), ("x/xaa_post.json", 1),
    ("x/xaa_dm.json", 1),
])
def test_each_payload_delivered_three_times_gives_its_requests_once(client, name, expected):
    raw = fixture(name)
    for _ in range(3):
        if name.startswith("meta/"):
            resp = post_meta(client, raw, **{"Content-Type": "application/json; charset=utf-8"})
        else:
            resp = post_x(client, raw)
        assert resp.status_code == 200, resp.body
    items = listed(client)
    assert len(items) == expected
    assert len({i["channel_ref"] for i in items}) == expected


def test_websub_lease_renewal_schedule(client, pump, monkeypatch):
    from urllib.parse import parse_qs

    from chalicelib.channels.youtube.api import YouTubeApi
    from chalicelib.handlers import webhooks_social

    calls = []

    def transport(method, url, headers, body):
        calls.append((method, url, parse_qs(body.decode())))
        return 202, b""

    monkeypatch.setattr(webhooks_social, "youtube_api", lambda: YouTubeApi("k", transport))
    event = {"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "123456789012", "time": "2026-11-29T03:00:00Z", "region": "eu-central-1",
             "resources": [], "detail": {}}
    assert pump.invoke("youtube_renew_websub", event) == {"subscribed": SECRETS["YOUTUBE_CHANNEL_ID"]}
    [(method, url, form)] = calls
    assert method == "POST" and url == "https://pubsubhubbub.appspot.com/subscribe"
    assert form["hub.callback"] == ["http://127.0.0.1:8000/webhooks/youtube"]
    assert form["hub.secret"] == [SECRETS["YOUTUBE_WEBSUB_SECRET"]]
    assert form["hub.topic"] == [topic_url(SECRETS["YOUTUBE_CHANNEL_ID"])]
    monkeypatch.delenv("YOUTUBE_CHANNEL_ID")
    from chalicelib import container

    container.reset()  # settings are parsed once per process
    assert "skipped" in pump.invoke("youtube_renew_websub", event)
    assert "skipped" in pump.invoke("youtube_poll_comments", event)
    assert len(calls) == 1
