"""KVKK duties: pseudonymous citizen index, erasure on request (audited), retention, access log."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib import container
from chalicelib.adapters.aws import client as aws_client
from chalicelib.adapters.privacy_store import DynamoPrivacyStore
from chalicelib.usecases import privacy as privacy_usecase
from tests.conftest import auth
from tests.support.aws_calls import recording

PHONE = "0532 111 22 33"
TC = "10000000146"


def _create(client, text, citizen=None, ref=None, channel="phone"):
    body = {"channel": channel, "text": text, **({"citizen": citizen} if citizen else {}),
            **({"channel_ref": ref} if ref else {})}
    res = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
    assert res.status_code == 201, res.body
    return res.json_body


def _get(client, rid, role="admin"):
    return client.http.get(f"/requests/{rid}", headers=auth(role)).json_body


def _close(client, rid):
    for status in ("resolved", "closed"):
        current = _get(client, rid)
        res = client.http.post(f"/requests/{rid}/status", headers=auth("admin"),
                               body=json.dumps({"status": status, "version": current["version"]}))
        assert res.status_code == 200, res.body


def _table_items(pk: str) -> list[dict]:
    out = aws_client("dynamodb").query(TableName="ulakbel-local-requests", KeyConditionExpression="PK = :pk",
                                       ExpressionAttributeValues={":pk": {"S": pk}})
    return out["Items"]


def test_citizen_index_is_written_in_the_intake_transaction_and_holds_no_plain_identifier(client):
    with recording() as calls:
        req = _create(client, "Su kesintisi var", {"name": "Ayşe Yılmaz", "phone": PHONE, "email": "Ayse@Example.com",
                                                    "tc_kimlik_no": TC})
    assert calls.operations == ["TransactWriteItems"]
    from chalicelib.adapters.privacy_store import pepper
    from chalicelib.adapters.schema.privacy import citizen_pk
    from chalicelib.domain.privacy import citizen_key

    for kind, value in (("phone", "+905321112233"), ("email", "Ayse@example.com"), ("tc", TC)):
        items = _table_items(citizen_pk(citizen_key(kind, value, pepper())))
        assert [i["request_id"]["S"] for i in items] == [req["id"]]
        dumped = json.dumps(items)
        assert "5321112233" not in dumped and TC not in dumped and "example.com" not in dumped


def test_erase_one_citizen_across_requests_keeps_aggregates_and_is_audited(client, pump):
    mine = [_create(client, "Sokak lambası yanmıyor, Ayşe", {"name": "Ayşe Yılmaz", "phone": PHONE}),
            _create(client, "Çöpler toplanmadı", {"phone": "+90 532 111 2233", "email": "ayse@example.com"}),
            _create(client, "Parkta salıncak kırık", {"tc_kimlik_no": TC, "name": "Ayşe Yılmaz"}, channel="email")]
    other = _create(client, "Çöpler toplanmadı", {"name": "Mehmet Demir", "phone": "0533 444 55 66"})
    pump.drain()

    denied = client.http.post("/citizens/erase", headers=auth("agent"), body=json.dumps({"phone": PHONE}))
    assert denied.status_code == 403
    assert client.http.post("/citizens/erase", headers=auth("admin"), body="{}").status_code == 400
    bad = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps({"tc_kimlik_no": "12345678901"}))
    assert bad.status_code == 400

    res = client.http.post("/citizens/erase", headers=auth("admin", sub="kvkk-officer"),
                           body=json.dumps({"phone": PHONE, "tc_kimlik_no": TC}))
    assert res.status_code == 200, res.body
    assert res.json_body["anonymised"] == 3 and sorted(res.json_body["request_ids"]) == sorted(r["id"] for r in mine)
    for r in mine:
        after = _get(client, r["id"])
        assert after["citizen"] is None and "Ayşe" not in after["text"]
        assert after["anonymised_at"] and after["department"] and after["status"] == "routed"  # aggregates stay
        assert after["tracking_code"] == r["tracking_code"]
    assert _get(client, other["id"])["citizen"]["name"] == "Mehmet Demir"

    store = DynamoPrivacyStore(container.repository())
    audit = store.audit_log("citizen_erasure")
    assert len(audit) == 1 and audit[0]["actor"] == "admin:kvkk-officer" and audit[0]["anonymised"] == 3
    assert "5321112233" not in json.dumps(audit, default=str)
    log = store.deletion_log(datetime.now(timezone.utc))
    assert sorted(e["request_id"] for e in log) == sorted(r["id"] for r in mine)
    assert all(e["reason"] == "erasure" for e in log)
    three_years = (datetime.now(timezone.utc) + timedelta(days=3 * 365)).timestamp()
    assert all(int(e["expires_at"]) >= three_years for e in log)

    again = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps({"phone": PHONE}))
    assert again.json_body == {"matched": 0, "anonymised": 0, "request_ids": [], "media_deleted": 0, "records_deleted": 0}


def test_retention_anonymises_closed_requests_after_the_period_via_an_index(client, pump):
    old = _create(client, "Kaldırım taşları kırık, yürünmüyor, ben Ali Veli", {"name": "Ali Veli", "phone": "0542 000 11 22"})
    still_open = _create(client, "Ağaç budansın", {"name": "Zeynep Kaya", "phone": "0543 000 11 22"})
    pump.drain()
    _close(client, old["id"])
    repo = container.repository()
    store = DynamoPrivacyStore(repo)

    # Within the period: nothing happens.
    assert privacy_usecase.run_retention(repo, store, 730) == {"anonymised": 0, "skipped": 0}
    later = datetime.now(timezone.utc) + timedelta(days=731)
    with recording() as calls:
        result = privacy_usecase.run_retention(repo, store, 730, clock=lambda: later)
    assert result["anonymised"] == 1
    assert "Scan" not in calls.operations
    assert any(c.body.get("IndexName") == "RETAIN" for c in calls.calls if c.operation == "Query")
    gone = _get(client, old["id"])
    assert gone["citizen"] is None and gone["status"] == "closed" and gone["department"]
    assert _get(client, still_open["id"])["citizen"]["name"] == "Zeynep Kaya"
    # Anonymised requests leave the sparse index: the next run reads nothing.
    assert privacy_usecase.run_retention(repo, store, 730, clock=lambda: later) == {"anonymised": 0, "skipped": 0}
    log = store.deletion_log(later)  # the job's clock says when it ran
    assert [e["reason"] for e in log] == ["retention"]


def test_retention_job_is_a_scheduled_function_reading_the_configured_period(client, pump, app, monkeypatch):
    req = _create(client, "Çöp konteyneri taşıyor", {"name": "Ali Veli", "phone": "0542 000 11 22"})
    pump.drain()
    _close(client, req["id"])
    monkeypatch.setenv("ULAKBEL_RETENTION_DAYS", "0")
    from chalicelib.settings import reset_settings

    reset_settings()
    container._instances.pop("settings", None)
    event = {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "000000000000", "time": "2026-01-01T00:00:00Z", "region": "eu-central-1",
             "resources": ["local:rule/kvkk_retention"], "detail": {}}
    out = app.handler_map["kvkk_retention"](event, None)
    assert out == {"anonymised": 1, "skipped": 0}
    assert _get(client, req["id"])["citizen"] is None


def test_every_unmasked_read_is_access_logged(client, monkeypatch):
    seen = []
    monkeypatch.setattr(privacy_usecase, "ACCESS_SINKS", [lambda actor, role, ids, at: seen.append((actor, ids))])
    req = _create(client, "Su faturası yanlış", {"name": "Ayşe Yılmaz", "phone": PHONE})
    seen.clear()
    _get(client, req["id"], role="admin")
    client.http.get("/requests", headers=auth("agent", sub="agent-7"))
    _get(client, req["id"], role="viewer")  # masked: not personal data, not logged
    assert [ids for _, ids in seen] == [[req["id"]], [req["id"]]]
    assert seen[0][0].startswith("admin:") and seen[1][0] == "agent:agent-7"


@pytest.mark.parametrize("field,value", [("phone", "abc"), ("email", "no-at-sign"), ("tc_kimlik_no", "1234")])
def test_erase_rejects_malformed_identifiers(client, field, value):
    res = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps({field: value}))
    assert res.status_code == 400 and res.json_body["error"]["code"] == "invalid_input"
