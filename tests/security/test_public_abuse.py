"""Abuse of the public (unauthenticated) endpoints, one table (issue 17 "Personal data and abuse of public
endpoints"): the request, the expected status, and what was stored / sent, counted in moto.

Rows: Open311 reads of requests from other channels, the id fan-out, the read flood; SMS pumping through
the citizens' API (numbers abroad, satellite, premium, shared-cost/UAN/VoIP; per-API-key hourly cap).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlencode

import pytest

from tests.conftest import OPEN311_DEV_KEY, auth
from tests.outbound.conftest import make_request, sms_sent  # noqa: F401 - fixture
from tests.support.aws_calls import recording

KEY = OPEN311_DEV_KEY
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
IN_TALAS = {"lat": "38.6920", "long": "35.5480"}


@pytest.fixture(autouse=True)
def env(open311_dev_key):
    yield


def open311_post(client, **fields):
    body = urlencode({"api_key": KEY, "service_code": "yol_bakim", "description": "Yolda çukur var",
                      **IN_TALAS, **fields})
    return client.http.post("/open311/v2/requests.json", headers=FORM, body=body)


def stored(client) -> int:
    return len(client.http.get("/requests?limit=200", headers=auth("admin")).json_body["items"])


def sms_to(number: str) -> int:
    return sum(1 for phone, _ in sms_sent() if phone == number)


def outbound_reasons(client) -> list[str]:
    out = []
    for item in client.http.get("/requests?limit=200", headers=auth("admin")).json_body["items"]:
        tl = client.http.get(f"/requests/{item['id']}", headers=auth("admin")).json_body["timeline"]
        out += [e["data"].get("reason") or "" for e in tl if e["type"] == "outbound_status"]
    return out


@dataclass
class Pumping:
    name: str
    phone: str
    status: int = 200  # the request itself is filed: the citizen's report is not lost
    sms: int = 0  # SMS that left (moto SNS)
    env: dict = field(default_factory=dict)


PUMPING = [
    Pumping("us_number", "+12025550123"),
    Pumping("uk_number", "+447400123456"),
    Pumping("lithuania", "+37060012345"),
    Pumping("satellite_iridium", "+881612345678"),
    Pumping("satellite_inmarsat", "+870772123456"),
    Pumping("tr_premium_0900", "+909001234567"),
    Pumping("tr_shared_cost_0850", "+908502221234"),
    Pumping("tr_uan_444", "+904441234"),
    Pumping("tr_fixed_line", "+903122223344"),
    Pumping("tr_mobile_control", "+905321234567", sms=2),  # received + routed
    Pumping("abroad_allowed_by_config", "+37060012345", sms=2, env={"ULAKBEL_SMS_COUNTRIES": "TR,LT"}),
]


@pytest.mark.parametrize("row", PUMPING, ids=[r.name for r in PUMPING])
def test_sms_pumping_table(client, pump, monkeypatch, row):
    from chalicelib import container

    for name, value in row.env.items():
        monkeypatch.setenv(name, value)
    container.reset()
    r = open311_post(client, phone=row.phone)
    assert r.status_code == row.status, r.body
    pump.drain()
    pump.drain()
    assert stored(client) == 1
    assert sms_to(row.phone) == row.sms
    assert len(sms_sent()) == row.sms  # nothing to any other number either


def test_refused_sms_falls_back_to_email_when_the_citizen_gave_one(client, pump):
    from tests.outbound.conftest import emails_sent

    assert open311_post(client, phone="+12025550123", email="vatandas@example.org").status_code == 200
    pump.drain()
    pump.drain()
    assert sms_sent() == [] and len(emails_sent()) >= 1


def test_the_consumer_refuses_too_even_if_a_message_was_queued(client, pump, make_request):
    """Defence in depth: a staff reply (or an old queued message) to a number abroad never leaves."""
    req = make_request("sms", phone="+12025550123")
    pump.drain()
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"), body='{"text": "Bilginize."}')
    assert r.status_code == 202, r.json_body
    pump.drain()
    assert sms_sent() == []
    assert any("yurt dışı" in reason for reason in outbound_reasons(client))


def test_sms_per_api_key_per_hour_is_capped(client, pump, monkeypatch):
    from chalicelib import container

    monkeypatch.setenv("ULAKBEL_NOTIFY_APP_HOURLY_CAP", "2")
    container.reset()
    from tests.outbound.conftest import emails_sent

    numbers = ["+905321234567", "+905331234567", "+905341234567"]
    for i, n in enumerate(numbers):
        assert open311_post(client, phone=n, email=f"kisi{i}@example.org").status_code == 200
    pump.drain()
    pump.drain()
    assert stored(client) == 3
    assert len(sms_sent()) == 2  # the API key's hourly budget, whichever numbers it was spent on
    assert emails_sent() == []  # no falling back to e-mail once the budget is spent


def test_sms_per_address_per_day_is_capped(client, pump, monkeypatch):
    from chalicelib import container

    monkeypatch.setenv("ULAKBEL_NOTIFY_DAILY_CAP", "3")
    container.reset()
    for _ in range(3):
        assert open311_post(client, phone="+905321234567").status_code == 200
    for _ in range(3):
        pump.drain()
    queued = 0
    for item in client.http.get("/requests?limit=200", headers=auth("admin")).json_body["items"]:
        tl = client.http.get(f"/requests/{item['id']}", headers=auth("admin")).json_body["timeline"]
        queued += sum(1 for e in tl if e["type"] == "outbound")
    assert queued > 3 and sms_to("+905321234567") == 3  # (duplicates are not "routed", so 4-6 queued)
    assert sum("günlük bildirim sınırı" in r for r in outbound_reasons(client)) == queued - 3


# -- Open311 reads ----------------------------------------------------------------------------------
def _sms_request(client) -> str:
    body = {"channel": "sms", "channel_ref": "SM-abuse-1", "text": "Ben Nurcan Aydınoğlu, TC 10000000146, çöp",
            "citizen": {"phone": "+905321234567"}}
    r = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
    assert r.status_code == 201
    return r.json_body["tracking_code"]


@dataclass
class Read:
    name: str
    path: Callable  # (client) -> path
    status: int
    max_reads: int  # DynamoDB read calls the whole request may make


READS = [
    Read("other_channel_by_code_json", lambda c: f"/open311/v2/requests/{_sms_request(c)}.json", 404, 2),
    Read("other_channel_by_code_xml", lambda c: f"/open311/v2/requests/{_sms_request(c)}.xml", 404, 2),
    Read("other_channel_in_id_list", lambda c: f"/open311/v2/requests.json?service_request_id={_sms_request(c)}",
         200, 2),
    Read("id_fan_out_21_ids", lambda c: "/open311/v2/requests.json?service_request_id="
         + ",".join(f"AB{x}{y}-CDEF" for x in "234" for y in "2345678"), 400, 0),
    Read("garbage_code", lambda c: "/open311/v2/requests/' OR 1=1.json", 404, 0),
    Read("bulk_list", lambda c: "/open311/v2/requests.json", 200, 2),
    Read("updates_list", lambda c: "/open311/v2/servicerequestupdates.json", 200, 11),
]


@pytest.mark.parametrize("row", READS, ids=[r.name for r in READS])
def test_open311_read_table(client, row):
    path = row.path(client)
    with recording() as calls:
        r = client.http.get(path)
    assert r.status_code == row.status, r.body
    assert "Nurcan" not in r.body.decode() and "10000000146" not in r.body.decode()
    reads = [op for op in calls.operations if op in ("Query", "GetItem", "BatchGetItem", "Scan")]
    assert len(reads) <= row.max_reads and "Scan" not in reads, calls.counts()


def test_open311_read_flood_is_429_per_client_address(client, monkeypatch):
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_OPEN311_READ", "5/60")
    codes = [client.http.get("/open311/v2/requests/AAAA-BBBB.json").status_code for _ in range(7)]
    assert codes == [404] * 5 + [429] * 2
    # the limiter key holds no client address in the clear
    from chalicelib.adapters.outbound_aws import counter_pk

    assert "127.0.0.1" not in counter_pk("open311read#ip#127.0.0.1", 1) and counter_pk(
        "open311read#ip#127.0.0.1", 1).startswith("RATE#open311read#")
