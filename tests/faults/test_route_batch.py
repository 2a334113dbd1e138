"""The route consumer sends a batch's tasks together (issue 21) yet still names, in `batchItemFailures`, exactly
the records whose routing failed: a department queue refusing its batch, or one request's routing transaction."""
from __future__ import annotations

import json

from chalice.local import LambdaContext

from chalicelib import container
from chalicelib.adapters.aws import client as aws_client
from tests.conftest import auth
from tests.support.aws_calls import Fault, injecting, recording

TEXTS = ["Parktaki salıncak kırık (#0)", "Sokak lambası yanmıyor (#1)", "Parktaki kaydırak kırık (#2)",
         "Sokak lambası gece yanmıyor (#3)", "Parkta bank kırık (#4)"]


def _records(aws) -> list[dict]:
    streams = aws_client("dynamodbstreams")
    out = []
    for shard in streams.describe_stream(StreamArn=aws["stream_arn"])["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=aws["stream_arn"], ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        out += streams.get_records(ShardIterator=it, Limit=1000)["Records"]
    for r in out:
        r["eventSourceARN"] = aws["stream_arn"]
    return out


def _classify(text, **_):
    from chalicelib.domain.models import Classification

    park = "park" in text.lower()
    return Classification(category="park_bahce" if park else "aydinlatma", department="park" if park else "fen",
                          confidence=0.9, explanation="test")


def _post_all(client) -> list[str]:
    container.override("classifier", _classify)  # the test is about failures, not the model's choice
    ids = []
    for i, text in enumerate(TEXTS):
        res = client.http.post("/requests", headers=auth("agent"), body=json.dumps(
            {"channel": "beyaz_masa", "text": text, "channel_ref": f"rb-{i}"}))
        assert res.status_code == 201
        ids.append(res.json_body["id"])
    return ids


def _route(app, records):
    return app.handler_map["route_requests"]({"Records": records}, LambdaContext("route_requests", memory_size=512))


def _seq_of(records, request_id):
    return next(r["dynamodb"]["SequenceNumber"] for r in records
                if r["dynamodb"]["Keys"]["PK"]["S"].endswith(request_id) and r["dynamodb"]["Keys"]["SK"]["S"] == "META"
                and r["eventName"] == "INSERT")


def test_a_refused_department_batch_names_its_records_and_the_retry_routes_them_once(client, app, aws):
    ids = _post_all(client)
    records = _records(aws)  # every record of the table: markers and counters too, as the stream holds them
    park_queue = container.task_queue().url("park")
    refused = Fault("SendMessageBatch", "ThrottlingException", times=1,
                    when=lambda call: call.body.get("QueueUrl") == park_queue)
    with recording() as calls, injecting(refused):
        out = _route(app, records)
    assert refused.fired == 1
    park = {i for i in ids if container.repository().get(i, with_timeline=False).status.value == "new"}
    assert park == {ids[0], ids[2], ids[4]}  # the park requests, only
    assert sorted(f["itemIdentifier"] for f in out["batchItemFailures"]) == sorted(_seq_of(records, i) for i in park)
    # One SendMessageBatch per department (park, and the lighting department), not one SendMessage per task.
    assert calls.counts()["SendMessageBatch"] == 2 and "SendMessage" not in calls.counts()
    assert _route(app, records) == {"batchItemFailures": []}  # Lambda's retry of the batch
    for i in ids:
        assert container.repository().get(i, with_timeline=False).status.value == "routed"
    leased = []
    for code in ("park", "fen"):
        res = client.http.get(f"/departments/{code}/tasks?max=10", headers=auth("admin")).json_body
        leased += [t["request_id"] for t in res["tasks"]]
    assert sorted(leased) == sorted(ids)  # every task once: the retry's re-sent tasks were deduplicated


def test_one_failed_routing_transaction_names_that_record_alone(client, app, aws):
    ids = _post_all(client)
    records = _records(aws)
    broken = Fault("TransactWriteItems", "InternalServerError", status=500, times=1,
                   when=lambda call: ids[3] in json.dumps(call.body))
    with injecting(broken):
        out = _route(app, records)
    assert broken.fired == 1
    assert out == {"batchItemFailures": [{"itemIdentifier": _seq_of(records, ids[3])}]}
    statuses = [container.repository().get(i, with_timeline=False).status.value for i in ids]
    assert statuses == ["routed", "routed", "routed", "new", "routed"]
