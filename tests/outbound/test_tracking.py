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


def test_wrong_digits_are_404_and_guessing_is_rate_limited(client, make_request):
    req = make_request("sms", phone="+905051234567")
    for n in range(5):
        assert client.http.get(f"/track/{req.tracking_code}?phone_last4={1000 + n}").status_code == 404
    # the code is now locked for an hour, even with the right digits
    r = client.http.get(f"/track/{req.tracking_code}?phone_last4=4567")
    assert r.status_code == 429 and r.json_body["error"]["code"] == "rate_limited"
    # unknown codes look exactly like wrong digits
    assert client.http.get("/track/ZZZZ-ZZZZ?phone_last4=4567").status_code == 404
    assert client.http.get(f"/track/{req.tracking_code}").status_code == 400


def test_per_client_rate_limit(client, make_request):
    for n in range(30):
        client.http.get(f"/track/AAAA-{n:04d}?phone_last4=0000")
    assert client.http.get("/track/AAAA-BBBB?phone_last4=0000").status_code == 429


def test_signed_link_from_the_acknowledgement(client, make_request):
    from chalicelib import container
    from chalicelib.usecases.notify import link_signature

    req = make_request("email", text="Yol", ref="<t@x>", email="a@example.com")
    sig = link_signature(container.outbound_settings().link_key, req.tracking_code)
    assert client.http.get(f"/track/{req.tracking_code}?sig={sig}").status_code == 200
    assert client.http.get(f"/track/{req.tracking_code}?sig=0000").status_code == 404
