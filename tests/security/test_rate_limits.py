"""Per-source rate limits on the public endpoints: Open311 POST (per API key and per client address) and
webhooks (per source address): 429 with a Turkish + English message and Retry-After, counted in one TTL'd
counter item per key with an atomic ADD (no scan), configurable by environment."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from chalicelib.channels.meta.inbound import sign as meta_sign
from tests.conftest import FIXTURES, OPEN311_DEV_KEY, auth

KEY = OPEN311_DEV_KEY


@pytest.fixture(autouse=True)
def env(monkeypatch, open311_dev_key):
    from chalicelib import container

    monkeypatch.setenv("META_APP_SECRET", "meta-app-secret-for-tests")
    container.reset()


def _open311(client, api_key=KEY):
    code = json.loads(client.http.get("/open311/v2/services.json").body)[0]["service_code"]
    body = urlencode({"api_key": api_key, "service_code": code, "description": "Sokak lambası yanmıyor",
                      "lat": "38.69", "long": "35.55"})
    return client.http.post("/open311/v2/requests.json", body=body,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})


def _assert_429(resp):
    assert resp.status_code == 429, resp.body[:300]
    message = json.loads(resp.body)["error"]["message"]
    assert "Çok fazla istek" in message and "too many requests" in message
    assert int(resp.headers["Retry-After"]) >= 1


def stored(client) -> int:
    return len(client.http.get("/requests", headers=auth("admin")).json_body["items"])


def test_open311_post_is_limited_per_api_key(client, monkeypatch):
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_OPEN311", "3/600")
    assert [_open311(client).status_code for _ in range(3)] == [200, 200, 200]
    _assert_429(_open311(client))
    assert stored(client) == 3  # the limited one was not stored


def test_open311_limit_per_key_is_independent_of_other_keys(client, monkeypatch):
    from chalicelib.handlers.rate_limit import keys

    class Req:
        context = {"identity": {"sourceIp": "198.51.100.1"}}
        raw_body = b"api_key=abc&service_code=x"

    assert keys("open311", "/open311/v2/{doc}", Req) == ["open311#ip#198.51.100.1", "open311#key#abc"]
    assert keys("webhook", "/webhooks/meta", Req) == ["webhook#/webhooks/meta#198.51.100.1"]


def test_webhooks_are_limited_per_source_and_path(client, monkeypatch):
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_WEBHOOK", "2/60")
    raw = (FIXTURES / "meta/messenger_text.json").read_bytes()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": meta_sign(raw, "meta-app-secret-for-tests")}
    assert [client.http.post("/webhooks/meta", body=raw, headers=headers).status_code for _ in range(2)] == [200, 200]
    _assert_429(client.http.post("/webhooks/meta", body=raw, headers=headers))
    # another webhook path has its own budget
    assert client.http.post("/webhooks/x", body=b"{}", headers={"Content-Type": "application/json"}).status_code != 429


def test_defaults_are_generous_and_configurable(monkeypatch):
    from chalicelib.handlers.rate_limit import limit_of

    assert limit_of("webhook", "prod")[0] >= 1000 and limit_of("open311", "prod") == (60, 600)
    assert limit_of("webhook", "local") is None and limit_of("open311", "local") is None
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_WEBHOOK", "5/10")
    assert limit_of("webhook") == (5, 10)
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_WEBHOOK", "off")
    assert limit_of("webhook") is None
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_WEBHOOK", "garbage")
    assert limit_of("webhook", "local") == (1200, 60)


def test_the_limiter_is_one_atomic_update_and_never_a_scan(client, monkeypatch):
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_OPEN311", "60/600")
    from chalicelib.handlers import rate_limit
    from tests.support.aws_calls import recording

    class Req:
        context = {"identity": {"sourceIp": "198.51.100.9"}}
        raw_body = b""

    with recording() as calls:
        rate_limit.check("open311", "/open311/v2/{doc}", Req)
    assert calls.operations == ["UpdateItem"]
    [call] = calls.calls if hasattr(calls, "calls") else [None]
    if call is not None:
        assert "ADD hits" in call.body["UpdateExpression"] and call.body["Key"]["PK"]["S"].startswith("RATE#")
