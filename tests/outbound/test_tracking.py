"""GET /track/{code}?phone_last4=NNNN: status, department and public replies — never personal data."""
from __future__ import annotations

import json

from tests.conftest import auth


def test_tracking_shows_status_and_public_replies_but_no_personal_data(client, pump, make_request):
    req = make_request("sms", text="Gül sokakta lamba yanmıyor", phone="+905051234567", name="Ayşe Yılmaz",
                       email="ayse@example.com")
    pump.drain()
    client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"),
                     body=json.dumps({"text": "Ekip yönlendirildi.", "public": True}))
    client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"),
                     body=json.dumps({"text": "İç not gibi özel yanıt", "public": False}))
    pump.drain()
    code = req.tracking_code.lower().replace("-", "")
    r = client.http.get(f"/track/{code}?phone_last4=4567")
    assert r.status_code == 200, r.body
    body = r.json_body
    assert body["tracking_code"] == req.tracking_code and body["status"] == "routed"
    assert body["department"] and body["department_name"]
    assert [x["text"] for x in body["public_replies"]] == ["Ekip yönlendirildi."]
    raw = r.body.decode() if isinstance(r.body, bytes) else r.body
    for secret in ("Ayşe", "905051234567", "ayse@example.com", "4567", "Gül sokakta", req.id,
                   "İç not gibi özel yanıt"):
        assert secret not in raw


def test_wrong_digits_are_404_and_guessing_locks_the_address_not_the_code(client, make_request, monkeypatch):
    """Locking the code would let anyone lock any citizen out: wrong answers lock the client address."""
    from chalicelib.handlers import outbound_api

    req = make_request("sms", phone="+905051234567")
    monkeypatch.setattr(outbound_api, "_client", lambda request: "198.51.100.66")  # the attacker
    for n in range(10):
        assert client.http.get(f"/track/{req.tracking_code}?phone_last4={1000 + n}").status_code == 404
    # the attacker's address is now locked for an hour, even with the right digits …
    r = client.http.get(f"/track/{req.tracking_code}?phone_last4=4567")
    assert r.status_code == 429 and r.json_body["error"]["code"] == "rate_limited"
    assert client.http.get("/track/ZZZZ-ZZZZ?phone_last4=4567").status_code == 429
    # … and the citizen, from their own address, is not locked out of their own code
    monkeypatch.setattr(outbound_api, "_client", lambda request: "203.0.113.7")
    r = client.http.get(f"/track/{req.tracking_code}?phone_last4=4567")
    assert r.status_code == 200, r.body
    # unknown codes look exactly like wrong digits
    assert client.http.get("/track/ZZZZ-ZZZZ?phone_last4=4567").status_code == 404
    assert client.http.get(f"/track/{req.tracking_code}").status_code == 400


def test_per_client_rate_limit(client, make_request):
    for n in range(30):
        client.http.get(f"/track/AAAA-{n:04d}?phone_last4=0000")
    assert client.http.get("/track/AAAA-BBBB?phone_last4=0000").status_code == 429


def test_signed_link_from_the_acknowledgement(client, make_request):
    from chalicelib import container
    from chalicelib.domain.models import utcnow
    from chalicelib.usecases.notify import link_signature, signed_query

    req = make_request("email", text="Yol", ref="<t@x>", email="a@example.com")
    key = container.outbound_settings().link_key
    query = signed_query(key, "track", req.tracking_code, utcnow())
    assert client.http.get(f"/track/{req.tracking_code}?{query}").status_code == 200
    assert client.http.get(f"/track/{req.tracking_code}?{query[:query.index('&')]}&sig=0000").status_code == 404
    # a survey link is not a tracking link, and an expired link does not work
    survey = signed_query(key, "survey", req.tracking_code, utcnow())
    assert client.http.get(f"/track/{req.tracking_code}?{survey}").status_code == 404
    old = 1_600_000_000  # 2020: in the past on any day this test runs
    sig = link_signature(key, "track", req.tracking_code, old)
    assert client.http.get(f"/track/{req.tracking_code}?exp={old}&sig={sig}").status_code == 404
    assert client.http.get(f"/track/{req.tracking_code}?sig={sig}").status_code == 404  # no expiry: no link


def test_link_validity_is_decided_by_the_injected_clock():
    from datetime import datetime, timedelta, timezone

    from chalicelib.usecases.notify import LINK_DAYS, link_valid, signed_query

    t0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    q = dict(p.split("=", 1) for p in signed_query("k", "track", "AB2C-3DEF", t0).split("&"))
    assert link_valid("k", "track", "AB2C-3DEF", q["sig"], q["exp"], t0 + timedelta(days=LINK_DAYS["track"] - 1))
    assert not link_valid("k", "track", "AB2C-3DEF", q["sig"], q["exp"], t0 + timedelta(days=LINK_DAYS["track"] + 1))
    assert not link_valid("k", "survey", "AB2C-3DEF", q["sig"], q["exp"], t0)
    assert not link_valid("k", "track", "AB2C-3DEG", q["sig"], q["exp"], t0)
    assert not link_valid("other", "track", "AB2C-3DEF", q["sig"], q["exp"], t0)
    assert not link_valid("k", "track", "AB2C-3DEF", q["sig"], str(int(q["exp"]) + 1), t0)
