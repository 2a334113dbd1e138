"""Issue 22: Web Push to the citizens' app. A device subscribes (with consent) right after filing a request
through the app; the outbound consumer sends "routed" and "resolved" like any channel, VAPID-signed and
aes128gcm-encrypted, to a local push service that verifies and decrypts them; delivery status is on the timeline."""
from __future__ import annotations

import json

import pytest

from chalicelib.channels.webpush.outbound import generate_vapid_private_key, vapid_public_key
from tests.conftest import auth

VAPID = generate_vapid_private_key()
APP_KEY = "app-open311-key-for-push-tests"


@pytest.fixture
def push_service(aws, monkeypatch):
    from chalicelib import container
    from tests.support.push_service import LocalPushService

    monkeypatch.setenv("VAPID_PRIVATE_KEY", VAPID)
    monkeypatch.setenv("OPEN311_APP_API_KEY", APP_KEY)
    monkeypatch.setenv("ULAKBEL_OUTBOX", "0")  # really POST to the (local) push service
    container.reset()
    service = LocalPushService().start()
    yield service
    service.stop()
    container.reset()


def _file(client, **extra) -> str:
    form = {"api_key": APP_KEY, "service_code": "konteyner", "lat": "38.6920", "long": "35.5480",
            "description": "Sokağımızdaki çöp konteyneri kırık, kapağı yok", **extra}
    from urllib.parse import urlencode

    r = client.http.post("/open311/v2/requests.json", body=urlencode(form),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code in (200, 201), r.body
    return r.json_body[0]["service_request_id"]


def _subscribe(client, code, subscription, consent=True):
    return client.http.post("/app/push/subscriptions", headers={"Content-Type": "application/json"},
                            body=json.dumps({"service_request_id": code, "subscription": subscription,
                                             "consent": consent}))


def _staff_view(client):
    items = client.http.get("/requests?channel=mobile_app", headers=auth("admin")).json_body["items"]
    return client.http.get(f"/requests/{items[0]['id']}", headers=auth("admin")).json_body


def test_a_subscribed_device_receives_resolved_at_the_push_service(push_service, client, pump):
    key = client.http.get("/app/push/key").json_body
    assert key["public_key"] == vapid_public_key(VAPID)
    code = _file(client)  # no phone, no e-mail: push is the only way back
    device = push_service.subscription()
    r = _subscribe(client, code, device)
    assert r.status_code == 200 and r.json_body["status"] == "subscribed", r.body
    assert _subscribe(client, code, device).json_body["subscription_id"] == r.json_body["subscription_id"]
    pump.drain()
    request = _staff_view(client)
    r = client.http.post(f"/requests/{request['id']}/status", headers=auth("admin"),
                         body=json.dumps({"status": "resolved", "note": "Konteyner değiştirildi.",
                                          "version": request["version"]}))
    assert r.status_code == 200, r.body
    pump.drain()

    assert [d.error for d in push_service.deliveries] == [None, None]
    routed, resolved = push_service.deliveries
    assert routed.payload["template"] == "routed" and "iletildi" in routed.payload["body"]
    assert resolved.payload["template"] == "resolved" and code in resolved.payload["body"]
    assert "çözüldü" in resolved.payload["body"] and "Konteyner değiştirildi." in resolved.payload["body"]
    assert "was resolved" in resolved.payload["body"]  # Turkish first, English second
    assert resolved.claims["aud"] == push_service.origin and resolved.claims["sub"].startswith("mailto:")

    timeline = _staff_view(client)["timeline"]
    queued = [e for e in timeline if e["type"] == "outbound" and e["data"]["channel"] == "web_push"]
    assert sorted(e["data"]["template"] for e in queued) == ["resolved", "routed"]
    sent = [e for e in timeline if e["type"] == "outbound_status" and e["data"]["channel"] == "web_push"]
    assert len(sent) == 2 and all(e["data"]["status"] == "sent" for e in sent)
    assert any(e["type"] == "push_subscribed" for e in timeline)
    assert push_service.origin not in json.dumps(timeline)  # the endpoint is a capability: not on the timeline

    pump.drain()  # redelivery changes nothing
    assert len(push_service.deliveries) == 2


def test_an_expired_subscription_is_failed_on_the_timeline_and_forgotten(push_service, client, pump):
    from chalicelib import container

    code = _file(client)
    device = push_service.subscription()
    assert _subscribe(client, code, device).status_code == 200
    push_service.gone.add(device["endpoint"].rsplit("/", 1)[-1])
    pump.drain()
    request = _staff_view(client)
    failed = [e for e in request["timeline"] if e["type"] == "outbound_status" and e["data"]["channel"] == "web_push"]
    assert failed and failed[0]["data"]["status"] == "failed" and "410" in failed[0]["data"]["reason"]
    assert container.repository().push_subscriptions(request["id"])["subs"] == {}


def test_subscriptions_need_consent_a_fresh_app_request_and_a_real_push_service(push_service, client, pump):
    code = _file(client)
    device = push_service.subscription()
    assert _subscribe(client, code, device, consent=False).status_code == 400
    foreign = {**device, "endpoint": "https://evil.example/push/1"}
    assert _subscribe(client, code, foreign).status_code == 400  # SSRF: only browsers' push services
    meta = {**device, "endpoint": "http://169.254.169.254/latest/meta-data"}
    assert _subscribe(client, code, meta).status_code == 400
    bad_key = {**device, "keys": {"p256dh": "A" * 87, "auth": device["keys"]["auth"]}}
    assert _subscribe(client, code, bad_key).status_code == 400
    assert _subscribe(client, "ZZZZ-ZZZZ", device).status_code == 404
    for _ in range(3):
        assert _subscribe(client, code, push_service.subscription()).status_code == 200
    assert _subscribe(client, code, push_service.subscription()).status_code == 409  # at most 3 devices


def test_no_subscription_after_the_window_or_with_a_loopback_endpoint_outside_local(push_service, client):
    from datetime import timedelta

    from chalicelib import container
    from chalicelib.domain.errors import NotFound
    from chalicelib.usecases import push

    code = _file(client)
    body = push.PushSubscriptionBody(service_request_id=code, subscription=push_service.subscription(), consent=True)
    request = container.repository().get_by_tracking_code(code)
    with pytest.raises(NotFound):
        push.subscribe(container.repository(), body, allow_loopback=True,
                       now=request.received_at + push.SUBSCRIBE_WINDOW + timedelta(seconds=1))
    assert push.subscribe(container.repository(), body, allow_loopback=True,
                          now=request.received_at + timedelta(minutes=5))["status"] == "subscribed"
    with pytest.raises(Exception):  # loopback endpoints are for local/test only
        push.subscribe(container.repository(), body.model_copy(update={"subscription": push_service.subscription()}),
                       allow_loopback=False, now=request.received_at)


def test_anonymising_the_request_deletes_its_push_subscriptions(push_service, client, pump):
    from chalicelib import container
    from chalicelib.adapters.privacy_store import DynamoPrivacyStore
    from chalicelib.usecases.privacy import anonymise_request

    code = _file(client)
    assert _subscribe(client, code, push_service.subscription()).status_code == 200
    repo = container.repository()
    request = repo.get_by_tracking_code(code)
    assert repo.push_subscriptions(request.id)
    assert anonymise_request(repo, DynamoPrivacyStore(repo), request.id, reason="erasure", actor="admin:test")
    assert repo.push_subscriptions(request.id) is None
