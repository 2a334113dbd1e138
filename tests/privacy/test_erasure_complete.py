"""KVKK erasure that really erases (issue 17): every trace of one citizen is seeded in moto through the real
paths, `POST /citizens/erase` runs, and each trace is read back by its known key: gone or anonymised.

Traces: the pending survey (keyed by phone), the SMS opt-out, the daily notification-cap slots, outbound
message records (send state with the delivery reason, notification marker, platform-id link, the local
outbox copy), photos in S3 including old versions (and `/open311/v2/media/...` answers 404), nested personal
fields in timeline events, and requests from social accounts (erased by platform handle / id).
"""
from __future__ import annotations

import json
import urllib.request
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest

from chalicelib import container
from chalicelib.adapters.aws import client as aws_client
from tests.conftest import OPEN311_DEV_KEY, auth
from tests.outbound.conftest import make_request  # noqa: F401 - fixture

KEY = OPEN311_DEV_KEY
PHONE = "+905327778899"
EMAIL = "silinecek.kisi@example.org"
NAME_FIRST, NAME_LAST = "Gülizar", "Öztoprakoğlu"
TABLE = "ulakbel-local-requests"
BUCKET = "ulakbel-local-media"


@pytest.fixture(autouse=True)
def env(open311_dev_key):
    yield


def item(pk: str, sk: str) -> dict | None:
    return container.repository().get_marker(pk, sk)


def partition(pk: str) -> list:
    return aws_client("dynamodb").query(TableName=TABLE, KeyConditionExpression="PK = :pk",
                                        ExpressionAttributeValues={":pk": {"S": pk}})["Items"]


def upload_photo_twice(client) -> tuple[str, str]:
    s3 = aws_client("s3")
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})  # as infra/ does
    r = client.http.post("/open311/v2/media", headers={"Content-Type": "application/x-www-form-urlencoded"},
                         body=urlencode({"api_key": KEY, "content_type": "image/jpeg"}))
    m = json.loads(r.body)
    for data in (b"\xff\xd8\xff first", b"\xff\xd8\xff second"):
        put = urllib.request.Request(m["upload_url"], data=data, method="PUT", headers={"Content-Type": "image/jpeg"})
        assert urllib.request.urlopen(put, timeout=10).status == 200
    name = m["media_url"].rsplit("/", 1)[1]
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix=f"open311/{name}").get("Versions", [])
    assert len(versions) == 2
    return m["media_url"], name


def change(client, rid, status):
    cur = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body
    r = client.http.post(f"/requests/{rid}/status", headers=auth("admin"),
                         body=json.dumps({"status": status, "version": cur["version"]}))
    assert r.status_code == 200, r.json_body


@pytest.mark.parametrize("erase_by", [{"email": EMAIL}, {"phone": "0532 777 88 99"}])
def test_erasure_removes_every_trace(client, pump, erase_by):
    from chalicelib.domain.identifiers import new_id
    from chalicelib.domain.models import TimelineEvent, utcnow
    from chalicelib.adapters.schema import outbound, privacy as keys, surveys as survey
    from chalicelib.usecases import consent
    from chalicelib.adapters.schema.outbound import PLATFORMS

    media_url, photo = upload_photo_twice(client)
    body = urlencode({"api_key": KEY, "service_code": "yol_bakim", "lat": "38.6920", "long": "35.5480",
                      "description": f"Ben {NAME_FIRST} {NAME_LAST}, {PHONE} numaralı telefondan arayın",
                      "first_name": NAME_FIRST, "last_name": NAME_LAST, "phone": PHONE, "email": EMAIL,
                      "media_url": media_url})
    r = client.http.post("/open311/v2/requests.json", headers={"Content-Type": "application/x-www-form-urlencoded"},
                         body=body)
    code = json.loads(r.body)[0]["service_request_id"]
    pump.drain()
    pump.drain()
    repo = container.repository()
    rid = client.http.get("/requests?channel=mobile_app", headers=auth("admin")).json_body["items"][0]["id"]
    change(client, rid, "resolved")
    pump.drain()
    pump.drain()
    consent.opt_out(repo, "sms", PHONE, source="test")
    repo.append_events(rid, [TimelineEvent(id=new_id(), at=utcnow(), type="citizen_updated", actor="agent", data={
        "changes": {"citizen": {"name": f"{NAME_FIRST} {NAME_LAST}", "phone": PHONE}},
        "contacts": [{"email": EMAIL, "kind": "email"}], "summary": f"aradı: {PHONE}"})])

    # everything is there before
    timeline = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body["timeline"]
    message_ids = [e["data"]["message_id"] for e in timeline if e["type"] == "outbound"]
    platform_ids = [e["data"]["platform_message_id"] for e in timeline
                    if e["type"] == "outbound_status" and e["data"].get("platform_message_id")]
    assert len(message_ids) >= 3 and platform_ids
    assert item(survey.survey_pk(PHONE), "PENDING") and item(keys.opt_out_pk("sms", PHONE), keys.CONSENT_SK)
    assert partition(outbound.cap_pk(PHONE))
    assert all(item(outbound.state_pk(m), "STATE") for m in message_ids)
    assert any(item(outbound.platform_pk("sns", p), "OUTMSG") for p in platform_ids)
    assert client.http.get(f"/open311/v2/media/{photo}").status_code == 302

    r = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps(erase_by))
    assert r.status_code == 200, r.json_body
    result = r.json_body
    assert result["anonymised"] == 1 and result["media_deleted"] == 2 and result["records_deleted"] >= 8

    assert item(survey.survey_pk(PHONE), "PENDING") is None
    assert item(keys.opt_out_pk("sms", PHONE), keys.CONSENT_SK) is None
    assert partition(outbound.cap_pk(PHONE)) == []
    for m in message_ids:
        assert item(outbound.state_pk(m), "STATE") is None and item(outbound.notify_pk(m), "QUEUED") is None
    for p in platform_ids:
        assert all(item(outbound.platform_pk(plat, p), "OUTMSG") is None for plat in PLATFORMS)
    s3 = aws_client("s3").list_object_versions(Bucket=BUCKET, Prefix=f"open311/{photo}")
    assert not s3.get("Versions") and not s3.get("DeleteMarkers")
    assert client.http.get(f"/open311/v2/media/{photo}").status_code == 404
    assert client.http.get(f"/open311/v2/requests/{code}.json").status_code == 404
    dumped = json.dumps(client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body, ensure_ascii=False)
    for secret in (PHONE, PHONE[3:], EMAIL, NAME_FIRST, NAME_LAST, photo):
        assert secret not in dumped, secret
    # statistics stay
    after = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body
    assert after["status"] == "resolved" and after["category"] == "yol_bakim" and after["channel"] == "mobile_app"


def test_outbox_copy_of_a_platform_message_is_erased(client, pump, make_request):
    """Locally the outbox keeps the exact platform request (the citizen's number in it): erased too."""
    req = make_request("whatsapp", platform_id="905336667788", name="Gizli Kişi")
    pump.drain()
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"), body='{"text": "Bilginize."}')
    assert r.status_code == 202
    pump.drain()
    timeline = client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body["timeline"]
    outbox_ids = [e["data"]["platform_message_id"] for e in timeline if e["type"] == "outbound_status"
                  and str(e["data"].get("platform_message_id", "")).startswith("outbox-")]
    assert outbox_ids and all("905336667788" in json.dumps(item(f"OUTBOX#{o}", "OUTBOX")) for o in outbox_ids)
    # a WhatsApp id is a phone number: erasing by the phone finds the request
    r = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps({"phone": "+905336667788"}))
    assert r.json_body["anonymised"] == 1, r.json_body
    assert all(item(f"OUTBOX#{o}", "OUTBOX") is None for o in outbox_ids)
    assert "905336667788" not in json.dumps(client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body)


@pytest.mark.parametrize("platform, citizen, erase_by", [
    ("x", {"handle": "@GizliHesap", "platform_id": "1234567890"}, {"platform": "x", "handle": "gizlihesap"}),
    ("x", {"handle": "@GizliHesap", "platform_id": "1234567890"}, {"platform": "x", "platform_id": "1234567890"}),
    ("instagram", {"handle": "gizli.hesap", "platform_id": "17841400000000001"},
     {"platform": "instagram", "handle": "@Gizli.Hesap"}),
    ("youtube", {"handle": "Gizli Kanal", "platform_id": "UCaaaaaaaaaaaaaaaaaaaaaa"},
     {"platform": "youtube", "platform_id": "UCaaaaaaaaaaaaaaaaaaaaaa"}),
])
def test_requests_from_social_accounts_are_erased_by_handle_or_platform_id(client, make_request, platform, citizen,
                                                                            erase_by):
    mine = make_request(platform, text="Çöp toplanmadı", ref="post-1", **citizen)
    other = make_request(platform, text="Çöp toplanmadı", ref="post-2", handle="@baskasi", platform_id="999")
    r = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps(erase_by))
    assert r.status_code == 200 and r.json_body["request_ids"] == [mine.id], r.json_body
    assert client.http.get(f"/requests/{mine.id}", headers=auth("admin")).json_body["citizen"] is None
    assert client.http.get(f"/requests/{other.id}", headers=auth("admin")).json_body["citizen"]["handle"]
    # the same id on another platform is another person
    wrong = {**erase_by, "platform": "facebook"}
    assert client.http.post("/citizens/erase", headers=auth("admin"),
                            body=json.dumps(wrong)).json_body["matched"] == 0


def test_handle_without_platform_is_400(client):
    r = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps({"handle": "@x"}))
    assert r.status_code == 400 and "platform" in r.json_body["error"]["message"]


@pytest.mark.parametrize("status", ["resolved", "forwarded", "rejected", "waiting_citizen"])
def test_retention_covers_terminal_and_dormant_statuses(client, pump, status):
    from chalicelib.adapters.privacy_store import DynamoPrivacyStore
    from chalicelib.usecases.privacy import run_retention

    body = {"channel": "phone", "text": "Kaldırım bozuk, ben Ali Veli", "citizen": {"name": "Ali Veli",
                                                                                  "phone": "0542 000 11 22"}}
    rid = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body)).json_body["id"]
    pump.drain()
    cur = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body
    payload = {"status": status, "version": cur["version"]}
    if status == "forwarded":
        r = client.http.post(f"/requests/{rid}/forward", headers=auth("admin"),
                             body=json.dumps({"institution": "KASKİ", "external_ref": "K-1", "note": "Su hattı", "version": cur["version"]}))
    else:
        r = client.http.post(f"/requests/{rid}/status", headers=auth("admin"), body=json.dumps(payload))
    assert r.status_code == 200, r.json_body
    assert client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body["status"] == status
    repo = container.repository()
    store = DynamoPrivacyStore(repo)
    now = datetime.now(timezone.utc)
    assert run_retention(repo, store, 730, clock=lambda: now) == {"anonymised": 0, "skipped": 0}
    assert run_retention(repo, store, 730, clock=lambda: now + timedelta(days=731))["anonymised"] == 1
    assert client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body["citizen"] is None
