"""Every public endpoint answers with no personal data (issue 17 "Proof").

Requests are seeded with personal data in every field (name, phone, e-mail, TC kimlik no, IBAN, plate, the
exact address and coordinates, social handle and id, notes and public replies), through several channels,
then every unauthenticated GET route of the Chalice routing table is called — with every path value that
makes it answer with data — and the answers (bodies and headers) are searched for any of it.

Public routes are read from `app.routes` (the routing table itself), so a new public route is covered
automatically: one whose path parameter has no sample value below makes the test fail until it gets one.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.conftest import OPEN311_DEV_KEY, auth

KEY = OPEN311_DEV_KEY
TC = "10000000146"
PEOPLE = {
    "name": "Nurhayat Kocabıyıkoğlu",
    "phone": "+905447778866",
    "email": "nurhayat.k@example.net",
    "tc": TC,
    "iban": "TR33 0006 1005 1978 6457 8413 26",
    "plate": "38 KBY 417",
    "address": "Kocabıyıkoğlu Apartmanı Daire 9",
    "lat": "38.69234", "long": "35.54876",
    "handle": "nurhayat_kocabiyik", "platform_id": "1402776655",
}
TEXT = (f"Ben {PEOPLE['name']} (TC {TC}), {PEOPLE['phone']} / 0544 777 88 66, {PEOPLE['email']}. IBAN {PEOPLE['iban']}. "
        f"{PEOPLE['plate']} plakalı araç kapımın önüne park ediyor, adres {PEOPLE['address']}.")


def forbidden() -> list[str]:
    p = PEOPLE
    first, last = p["name"].split()
    return [first, last, p["phone"], p["phone"][1:], p["phone"][3:], "0544 777 88 66", "544 777 88 66", p["email"],
            p["email"].split("@")[0], TC, p["iban"], p["iban"].replace(" ", ""), p["plate"], "Daire 9",
            p["lat"], p["long"], "38.6923", "35.5487", "35.5488", p["handle"], p["platform_id"]]


@pytest.fixture(autouse=True)
def env(open311_dev_key):
    yield


def _status(client, rid, status, note=None):
    cur = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body
    body = {"status": status, "version": cur["version"], **({"note": note} if note else {})}
    r = client.http.post(f"/requests/{rid}/status", headers=auth("admin"), body=json.dumps(body))
    assert r.status_code in (200, 409), r.json_body  # 409: clustered as a duplicate, cannot be resolved itself


def seed(client, pump) -> dict:
    """Personal data in every field, through staff entry, Open311 and social intake; replies and notes too."""
    from chalicelib import container
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand, Location
    from chalicelib.usecases.intake import intake

    p = PEOPLE
    citizen = {"name": p["name"], "phone": p["phone"], "email": p["email"], "tc_kimlik_no": TC,
               "handle": p["handle"], "platform_id": p["platform_id"]}
    location = {"address": p["address"], "lat": float(p["lat"]), "long": float(p["long"]),
                "neighbourhood": "Cumhuriyet"}
    made = []
    for i, channel in enumerate(("phone", "beyaz_masa", "sms", "email")):
        body = {"channel": channel, "channel_ref": f"pii-{channel}-{i}", "text": TEXT, "citizen": citizen,
                "location": location}
        r = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
        assert r.status_code == 201, r.json_body
        made.append(r.json_body)
    form = {"api_key": KEY, "service_code": "yol_bakim", "description": TEXT, "first_name": p["name"].split()[0],
            "last_name": p["name"].split()[1], "phone": p["phone"], "email": p["email"], "lat": p["lat"],
            "long": p["long"], "address_string": p["address"] + ", Cumhuriyet", "account_id": p["handle"],
            "device_id": p["platform_id"]}
    r = client.http.post("/open311/v2/requests.json", headers={"Content-Type": "application/x-www-form-urlencoded"},
                         body=urlencode(form))
    assert r.status_code == 200, r.body
    open311_code = json.loads(r.body)[0]["service_request_id"]
    repo = container.repository()
    social, _ = intake(IntakeCommand(channel=Channel.x, text=TEXT, channel_ref="tweet-pii-1",
                                     citizen=Citizen(**citizen), location=Location(**location)), repo)
    pump.drain()
    mine = client.http.get("/requests?channel=mobile_app", headers=auth("admin")).json_body["items"][0]
    for rid in [m["id"] for m in made[:2]] + [mine["id"], social.id]:
        reply = f"Sayın {p['name']}, {p['phone']} numaranızdan aradık; {p['plate']} çekildi."
        client.http.post(f"/requests/{rid}/reply", headers=auth("agent"),
                         body=json.dumps({"text": reply, "public": True}))
        _status(client, rid, "resolved", note=f"{p['name']} ile görüşüldü, TC {TC}, {p['email']}")
    pump.drain()
    pump.drain()
    from chalicelib.domain.models import utcnow
    from chalicelib.usecases.notify import signed_query

    key = container.outbound_settings().link_key
    codes = [m["tracking_code"] for m in made] + [open311_code, social.tracking_code]
    now = utcnow()
    return {"codes": codes, "open311_code": open311_code,
            "track": {c: signed_query(key, "track", c, now) for c in codes},
            "survey": {c: signed_query(key, "survey", c, now) for c in codes},
            "ids": [m["id"] for m in made] + [mine["id"], social.id]}


def public_get_routes() -> list[str]:
    """GET routes of the routing table whose view does not require a token (auth=False in `endpoint`);
    a route registered without `endpoint` counts as public (nothing says otherwise)."""
    from app import app
    from chalicelib.handlers.http import ENDPOINTS

    authed = {(e.path, m) for e in ENDPOINTS if e.auth for m in e.methods}
    return sorted(path for path, methods in app.routes.items() if "GET" in methods and (path, "GET") not in authed)


def sample_urls(path: str, s: dict) -> list[str]:
    from chalicelib.handlers.open311_api import APP_FILES
    from chalicelib.web.render import STATIC

    docs = [f"{n}.{f}" for n in ("discovery", "services", "requests", "servicerequestupdates") for f in ("json", "xml")]
    values = {
        "/open311/v2/{doc}": [f"/open311/v2/{d}" for d in docs]
        + [f"/open311/v2/requests.json?service_request_id={','.join(s['codes'])}"]
        + [f"/open311/v2/servicerequestupdates.json?service_request_id={','.join(s['codes'])}"],
        "/open311/v2/requests/{doc}": [f"/open311/v2/requests/{c}.{f}" for c in s["codes"] for f in ("json", "xml")],
        "/open311/v2/tokens/{doc}": [f"/open311/v2/tokens/{i}.{f}" for i in s["ids"] for f in ("json", "xml")],
        "/open311/v2/services/{doc}": ["/open311/v2/services/yol_bakim.json", "/open311/v2/services/yol_bakim.xml"],
        "/open311/v2/media/{name}": ["/open311/v2/media/01ARZ3NDEKTSV4RRFFQ69G5FAV.jpg"],
        "/app/{name}": [f"/app/{n}" for n in APP_FILES],
        "/console/static/{name}": [f"/console/static/{p.name}" for p in STATIC.iterdir()],
        "/track/{tracking_code}": [f"/track/{c}?{s['track'][c]}" for c in s["codes"]]
        + [f"/track/{c}?phone_last4={PEOPLE['phone'][-4:]}" for c in s["codes"]],
        "/survey/{tracking_code}": [f"/survey/{c}?{s['survey'][c]}&score=4" for c in s["codes"]],
        "/webhooks/meta": ["/webhooks/meta?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1"],
        "/webhooks/x": ["/webhooks/x?crc_token=abc"],
        "/webhooks/youtube": ["/webhooks/youtube?hub.mode=subscribe&hub.topic=x&hub.challenge=1"],
    }
    if "{" not in path:
        return [path]
    assert path in values, f"new public route {path}: add sample values to this test so it is checked for PII"
    return values[path]


def test_every_public_endpoint_answers_without_personal_data(client, pump):
    s = seed(client, pump)
    routes = public_get_routes()
    for must in ("/open311/v2/{doc}", "/track/{tracking_code}", "/seffaf", "/analytics/public", "/app", "/health",
                 "/departments", "/survey/{tracking_code}", "/kvkk"):
        assert must in routes, must
    # the staff view really holds all of it (so a clean public answer means something)
    full = json.dumps(client.http.get(f"/requests/{s['ids'][0]}", headers=auth("admin")).json_body, ensure_ascii=False)
    assert all(bit in full for bit in (PEOPLE["name"], PEOPLE["phone"], PEOPLE["email"], TC, PEOPLE["plate"]))
    checked = 0
    answered_with_data = 0
    for path in routes:
        for url in sample_urls(path, s):
            r = client.http.get(url)
            assert r.status_code < 500, (url, r.status_code)
            text = r.body.decode("utf-8", "replace") + json.dumps(dict(r.headers), ensure_ascii=False)
            for bit in forbidden():
                assert bit.lower() not in text.lower(), (url, bit)
            checked += 1
            answered_with_data += r.status_code == 200 and any(c in text for c in s["codes"])
    assert checked > 60
    assert answered_with_data >= 10  # the seeded requests were really read (Open311, tracking, survey)
