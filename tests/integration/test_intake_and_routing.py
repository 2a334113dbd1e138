"""Intake idempotency, router redelivery and department isolation against moto + the Chalice test client."""
from __future__ import annotations

import json

from tests.conftest import auth


def _create(client, body, role="agent"):
    return client.http.post("/requests", headers=auth(role), body=json.dumps(body))


def _queue_depth(aws, key):
    import boto3

    sqs = boto3.client("sqs", region_name="eu-central-1")
    attrs = sqs.get_queue_attributes(QueueUrl=aws["queues"][key],
                                     AttributeNames=["ApproximateNumberOfMessages",
                                                     "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


BODY = {"channel": "phone", "channel_ref": "call-0001", "text": "Yenidoğan mahallesinde çöpler toplanmadı",
        "citizen": {"name": "Ayşe Yılmaz", "phone": "0532 111 22 33"}}


def test_same_provider_message_three_times_gives_one_request_and_one_task(client, pump, aws):
    first = _create(client, BODY)
    assert first.status_code == 201
    again = [_create(client, BODY) for _ in range(2)]
    assert {r.status_code for r in again} == {200}
    assert {r.json_body["id"] for r in again} == {first.json_body["id"]}
    pump.drain()
    listed = client.http.get("/requests", headers=auth("admin")).json_body["items"]
    assert len(listed) == 1
    assert listed[0]["status"] == "routed" and listed[0]["department"] == "temizlik"
    assert listed[0]["citizen"]["phone"] == "+905321112233"
    assert _queue_depth(aws, "temizlik") == 1


def test_redelivered_stream_record_sends_no_second_task(client, pump, aws, app):
    created = _create(client, BODY).json_body
    import boto3

    streams = boto3.client("dynamodbstreams", region_name="eu-central-1")
    shard = streams.describe_stream(StreamArn=aws["stream_arn"])["StreamDescription"]["Shards"][0]
    it = streams.get_shard_iterator(StreamArn=aws["stream_arn"], ShardId=shard["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=it)["Records"]
    for _ in range(3):  # the same batch delivered three times, as Lambda may after a timeout
        out = pump.invoke("route_requests", {"Records": records})
        assert out == {"batchItemFailures": []}
    assert _queue_depth(aws, "temizlik") == 1
    got = client.http.get(f"/requests/{created['id']}", headers=auth("admin")).json_body
    assert [e["type"] for e in got["timeline"]].count("routed") == 1


def test_crash_after_send_before_mark_leaves_one_leasable_task(client, pump, aws):
    """The task is sent, then the process dies before the routed mark: redelivery must not double it."""
    from chalicelib import container
    from chalicelib.usecases import route as route_mod

    created = _create(client, BODY).json_body
    repo = container.repository()
    request = repo.get(created["id"])
    real_save = repo.save

    def crash(*a, **k):
        raise RuntimeError("crash between send and mark")

    repo.save = crash
    try:
        route_mod.route_new_request(request, repo, container.task_queue(), container.classifier())
    except RuntimeError:
        pass
    repo.save = real_save
    pump.drain()  # the stream delivers the INSERT again
    leased = client.http.get("/departments/temizlik/tasks?max=10",
                             headers=auth("department", "temizlik")).json_body["tasks"]
    assert len(leased) == 1
    assert leased[0]["request_id"] == created["id"]


def test_department_isolation(client, pump):
    created = _create(client, BODY).json_body
    pump.drain()
    park = auth("department", "park")
    assert client.http.get(f"/requests/{created['id']}", headers=park).status_code == 404
    assert client.http.get("/requests?department=temizlik", headers=park).json_body["items"] == []
    assert client.http.get("/departments/temizlik/tasks", headers=park).status_code == 403
    own = auth("department", "temizlik")
    assert client.http.get(f"/requests/{created['id']}", headers=own).status_code == 200
    leased = client.http.get("/departments/temizlik/tasks", headers=own).json_body["tasks"]
    assert len(leased) == 1
    lease = leased[0]["lease"]
    assert client.http.post(f"/departments/temizlik/tasks/{lease}/ack", headers=park).status_code == 403
    assert client.http.post(f"/departments/temizlik/tasks/{lease}/ack", headers=own).status_code == 200


def test_release_returns_the_task(client, pump):
    _create(client, BODY)
    pump.drain()
    own = auth("department", "temizlik")
    lease = client.http.get("/departments/temizlik/tasks", headers=own).json_body["tasks"][0]["lease"]
    assert client.http.get("/departments/temizlik/tasks", headers=own).json_body["tasks"] == []
    assert client.http.post(f"/departments/temizlik/tasks/{lease}/release", headers=own).status_code == 200
    assert len(client.http.get("/departments/temizlik/tasks", headers=own).json_body["tasks"]) == 1


def test_status_transitions_and_version_conflicts(client, pump):
    created = _create(client, BODY).json_body
    pump.drain()
    own = auth("department", "temizlik")
    current = client.http.get(f"/requests/{created['id']}", headers=own).json_body
    v = current["version"]
    bad = client.http.post(f"/requests/{created['id']}/status", headers=own,
                           body=json.dumps({"status": "closed", "version": v}))
    assert bad.status_code == 409 and bad.json_body["error"]["code"] == "invalid_transition"
    ok = client.http.post(f"/requests/{created['id']}/status", headers=own,
                          body=json.dumps({"status": "in_progress", "note": "Ekip yolda", "version": v}))
    assert ok.status_code == 200 and ok.json_body["version"] == v + 1
    stale = client.http.post(f"/requests/{created['id']}/status", headers=own,
                             body=json.dumps({"status": "resolved", "version": v}))
    assert stale.status_code == 409 and stale.json_body["error"]["code"] == "conflict"
    assert stale.json_body["error"]["details"]["version"] == v + 1
    park = auth("department", "park")
    assert client.http.post(f"/requests/{created['id']}/status", headers=park,
                            body=json.dumps({"status": "resolved", "version": v + 1})).status_code == 404
    viewer = auth("viewer")
    assert client.http.post(f"/requests/{created['id']}/status", headers=viewer,
                            body=json.dumps({"status": "resolved", "version": v + 1})).status_code == 403


def test_bad_input_gets_clear_4xx(client):
    h = auth("agent")
    assert client.http.post("/requests", headers=h, body="{not json").status_code == 400
    r = client.http.post("/requests", headers=h, body=json.dumps({"channel": "pigeon", "text": "x"}))
    assert r.status_code == 400 and "channel" in r.json_body["error"]["message"]
    r = client.http.post("/requests", headers=h, body=json.dumps({**BODY, "surprise": 1}))
    assert r.status_code == 400
    r = client.http.post("/requests", headers=h, body=json.dumps({**BODY, "citizen": {"tc_kimlik_no": "12345678901"}}))
    assert r.status_code == 400 and "TC" in r.json_body["error"]["message"]
    assert client.http.post("/requests", headers={"Content-Type": "application/json"},
                            body=json.dumps(BODY)).status_code == 401
    assert client.http.post("/requests", headers=auth("viewer"), body=json.dumps(BODY)).status_code == 403
    big = {**BODY, "text": "a" * 300_000}
    assert client.http.post("/requests", headers=h, body=json.dumps(big)).status_code == 413
    assert client.http.get("/requests?limit=5000", headers=h).status_code == 400
    assert client.http.get("/requests?next=garbage", headers=h).status_code == 400
    assert client.http.get("/requests?status=flying", headers=h).status_code == 400


def test_list_filters_and_pagination(client, pump):
    for i in range(5):
        # no neighbourhood named, so these are not clustered as duplicates of each other
        _create(client, {**BODY, "channel_ref": f"c-{i}", "channel": "sms" if i % 2 else "phone",
                         "text": f"{i + 1}. sokakta çöpler toplanmadı"})
    pump.drain()
    h = auth("admin")
    sms = client.http.get("/requests?channel=sms", headers=h).json_body["items"]
    assert len(sms) == 2 and {r["channel"] for r in sms} == {"sms"}
    page1 = client.http.get("/requests?limit=2", headers=h).json_body
    page2 = client.http.get(f"/requests?limit=2&next={page1['next']}", headers=h).json_body
    ids = [r["id"] for r in page1["items"] + page2["items"]]
    assert len(set(ids)) == 4
    by_dept = client.http.get("/requests?department=temizlik&status=routed", headers=h).json_body["items"]
    assert len(by_dept) == 5


def test_seffaf_oda_goes_to_mayors_office(client, pump):
    body = {"channel": "seffaf_oda", "text": "Başkanla Baş Başa görüşmesinde kütüphane saatleri konuşuldu",
            "meeting": {"date": "2026-11-20", "attendees": ["Başkan", "Vatandaş"]}}
    created = _create(client, body).json_body
    assert created["meeting"]["attendees"] == ["Başkan", "Vatandaş"]
    pump.drain()
    got = client.http.get(f"/requests/{created['id']}", headers=auth("admin")).json_body
    assert got["department"] == "ozel_kalem"


def test_one_failing_record_is_reported_and_the_rest_are_routed(client, pump, aws):
    """Partial batch failure: only the poisoned record is retried; the pump re-delivers it until it passes."""
    from chalicelib import container
    from chalicelib.understanding import classify

    calls = {"n": 0}

    def flaky(text, **kw):
        if "PATLAT" in text and calls["n"] < 1:
            calls["n"] += 1
            raise RuntimeError("classifier crashed")
        return classify(text, **kw)

    container.override("classifier", flaky)
    good = _create(client, {**BODY, "channel_ref": "g1", "text": "1. sokakta çöpler toplanmadı"}).json_body
    bad = _create(client, {**BODY, "channel_ref": "b1", "text": "PATLAT 2. sokakta çöpler toplanmadı"}).json_body
    import boto3

    streams = boto3.client("dynamodbstreams", region_name="eu-central-1")
    shard = streams.describe_stream(StreamArn=aws["stream_arn"])["StreamDescription"]["Shards"][0]
    it = streams.get_shard_iterator(StreamArn=aws["stream_arn"], ShardId=shard["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=it)["Records"]
    out = pump.invoke("route_requests", {"Records": records})
    failed = [f["itemIdentifier"] for f in out["batchItemFailures"]]
    bad_seq = [r["dynamodb"]["SequenceNumber"] for r in records
               if r["dynamodb"]["Keys"]["PK"]["S"] == f"REQ#{bad['id']}" and r["dynamodb"]["Keys"]["SK"]["S"] == "META"]
    assert failed == bad_seq
    h = auth("admin")
    assert client.http.get(f"/requests/{good['id']}", headers=h).json_body["status"] == "routed"
    assert client.http.get(f"/requests/{bad['id']}", headers=h).json_body["status"] == "new"
    pump.drain()  # redelivery from the failed record on
    assert client.http.get(f"/requests/{bad['id']}", headers=h).json_body["status"] == "routed"
    assert _queue_depth(aws, "temizlik") == 2


def test_a_precondition_that_does_not_hold_writes_nothing_and_is_named(aws):
    """The adapter's ConditionCheck items: absent marker or a harmless value passes; otherwise nothing is
    written (no header, no dedupe marker) and PreconditionFailed names exactly the checks that failed."""
    import pytest

    from chalicelib import container
    from chalicelib.domain.errors import PreconditionFailed
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.domain.ports import Precondition
    from chalicelib.usecases.intake import build_request

    repo = container.repository()
    absent = Precondition(name="absent", pk="MARK#none", sk="X")
    harmless = Precondition(name="harmless", pk="MARK#old", sk="X", passes_if=("at", "<", "2026-01-01"))
    blocking = Precondition(name="blocking", pk="MARK#new", sk="X", passes_if=("at", "<", "2026-01-01"))
    revoked = Precondition(name="revoked", pk="MARK#rev", sk="X", passes_if=("revoked", "=", True))
    repo.put_marker("MARK#old", "X", {"at": "2025-06-01"})
    repo.put_marker("MARK#new", "X", {"at": "2026-06-01"})
    repo.put_marker("MARK#rev", "X", {"revoked": True})
    cmd = IntakeCommand(channel=Channel.sms, channel_ref="SMpre1", text="Çöp toplanmadı",
                        citizen=Citizen(phone="+905051110000"))
    with pytest.raises(PreconditionFailed) as failed:
        repo.create(build_request(cmd), dedupe_key="sms#SMpre1", preconditions=(absent, harmless, blocking, revoked))
    assert failed.value.names == frozenset({"blocking"})
    assert repo.get_by_dedupe_key("sms#SMpre1") is None
    stored = repo.create(build_request(cmd), dedupe_key="sms#SMpre1", preconditions=(absent, harmless, revoked))
    assert repo.get_by_dedupe_key("sms#SMpre1").id == stored.id


def test_router_sends_a_request_located_outside_talas_to_triage(client, pump, aws):
    """Issue 18: a point outside the district outline (here Kayseri centre, Melikgazi) is outside Talas,
    not filed under the nearest Talas mahalle; a person forwards it to the responsible municipality."""
    outside = _create(client, {"channel": "whatsapp", "channel_ref": "wa-out-1",
                               "text": "Çöpler üç gündür toplanmadı, konteyner taştı",
                               "location": {"lat": 38.7205, "long": 35.4878}}).json_body
    inside = _create(client, {"channel": "whatsapp", "channel_ref": "wa-in-1",
                              "text": "Çöpler üç gündür toplanmadı, konteyner taştı",
                              "location": {"lat": 38.6743, "long": 35.5505}}).json_body
    pump.drain()
    out = client.http.get(f"/requests/{outside['id']}", headers=auth("admin")).json_body
    assert out["department"] is None and out["location"]["neighbourhood"] is None
    assert out["classification"]["outside_municipality"] is True
    assert "Talas dışı ← konum" in out["classification"]["explanation"]
    assert _queue_depth(aws, "triage") == 1
    ok = client.http.get(f"/requests/{inside['id']}", headers=auth("admin")).json_body
    assert ok["department"] == "temizlik" and ok["location"]["neighbourhood"] == "Harman"
    assert _queue_depth(aws, "temizlik") == 1
