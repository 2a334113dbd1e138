"""Stored data that fails today's validation never makes a request unreadable (issue 17).

The survey link once sent `score=` empty and stored satisfaction 0; every later read of that request answered
400 for good. Whatever a past bug could have stored, every read path still answers 200 (the bad value is
left out), and the write paths refuse bad scores with a 400 and store nothing.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.conftest import OPEN311_DEV_KEY, auth
from tests.console.helpers import session

KEY = OPEN311_DEV_KEY
# values a past bug could have written to the header (satisfaction is 1..5 or absent)
BAD = [("satisfaction", {"N": "0"}), ("satisfaction", {"N": "9"}), ("satisfaction", {"S": ""}),
       ("satisfaction", {"NULL": True}), ("resolved_at", {"S": ""}), ("kind", {"S": "şikayet?"}),
       ("attachments", {"S": "not-a-list"})]


@pytest.fixture(autouse=True)
def _key(open311_dev_key):
    yield


def _open311_request(client) -> dict:
    code = json.loads(client.http.get("/open311/v2/services.json").body)[0]["service_code"]
    body = urlencode({"api_key": KEY, "service_code": code, "description": "Kaldırım taşları kırık",
                      "lat": "38.69", "long": "35.55", "phone": "+905051234567"})
    r = client.http.post("/open311/v2/requests.json", body=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.body
    [filed] = json.loads(r.body)
    code = filed.get("service_request_id") or filed.get("token")
    return client.http.get("/requests", headers=auth("admin")).json_body["items"][0] | {"_code": code}


def _corrupt(request_id: str, attr: str, value: dict) -> None:
    from chalicelib import container
    from chalicelib.adapters.aws import client as aws_client

    repo = container.repository()
    aws_client("dynamodb").update_item(
        TableName=repo.table_name, Key={"PK": {"S": f"REQ#{request_id}"}, "SK": {"S": "META"}},
        UpdateExpression="SET #a = :v", ExpressionAttributeNames={"#a": attr},
        ExpressionAttributeValues={":v": value}, ConditionExpression="attribute_exists(PK)")


@pytest.mark.parametrize("attr,value", BAD, ids=lambda v: json.dumps(v) if isinstance(v, dict) else v)
def test_every_read_path_survives_a_bad_stored_value(client, pump, attr, value):
    made = _open311_request(client)
    pump.drain()  # routed
    rid, code = made["id"], made["tracking_code"]
    _corrupt(rid, attr, value)
    reads = {
        "GET /requests/{id}": client.http.get(f"/requests/{rid}", headers=auth("admin")),
        "GET /requests": client.http.get("/requests", headers=auth("admin")),
        "GET /requests/{id}/deliveries": client.http.get(f"/requests/{rid}/deliveries", headers=auth("admin")),
        "GET open311 request": client.http.get(f"/open311/v2/requests/{code}.json"),
        "GET open311 requests": client.http.get("/open311/v2/requests.json"),
        "GET /track": client.http.get(f"/track/{code}?phone_last4=4567"),
        "console request page": client.http.get(f"/console/requests/{rid}", headers=session("admin")[0]),
        "console inbox": client.http.get("/console", headers=session("admin")[0]),
    }
    failed = {name: r.status_code for name, r in reads.items() if r.status_code != 200}
    assert not failed, failed
    got = reads["GET /requests/{id}"].json_body
    assert got["id"] == rid and (attr != "satisfaction" or got["satisfaction"] is None)
    # the stream consumers read the same header: a change to this request still flows
    r = client.http.post(f"/requests/{rid}/status", headers=auth("admin"),
                         body=json.dumps({"status": "in_progress", "version": got["version"]}))
    assert r.status_code == 200, r.body
    pump.drain()


def test_corrupt_stored_header_was_a_permanent_400_before(client):
    """The shape of the old failure, kept as a guard: the strict model refuses what the read path prunes."""
    from pydantic import ValidationError

    from chalicelib.adapters.schema.stored import validate_stored
    from chalicelib.domain.models import Request

    doc = {"id": "r1", "tracking_code": "AB2C-3DEF", "channel": "sms", "received_at": "2026-11-01T08:00:00Z",
           "text": "t", "satisfaction": 0, "citizen": {"phone": "not a phone", "name": "Ali"}}
    with pytest.raises(ValidationError):
        Request.model_validate(doc)
    kept = validate_stored(Request, doc)
    assert kept.satisfaction is None and kept.citizen is not None and kept.citizen.name == "Ali"
    with pytest.raises(ValidationError):  # a missing required field is still an error, not a silent blank
        validate_stored(Request, {k: v for k, v in doc.items() if k != "tracking_code"})
