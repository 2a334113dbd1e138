"""Lambda event filtering for the stream consumers (issue 21): one set of patterns (chalicelib/handlers/stream/
filters.py) in the event source mappings' FilterCriteria (infra) and in the dev pump. A pattern only saves
invocations: every record it keeps from a consumer is one that consumer would have ignored (no AWS call, no
failure), and everything the consumers act on still reaches them."""
from __future__ import annotations

import json

from chalice.local import LambdaContext

from chalicelib import container, resources
from chalicelib.adapters.aws import client as aws_client
from chalicelib.domain.models import Channel, Citizen, IntakeCommand
from chalicelib.adapters.stream_filters import matches, stream_filters
from chalicelib.usecases.intake import intake
from tests.conftest import auth
from tests.support.aws_calls import recording


def _record(event_name: str, pk: str, sk: str, new: dict | None = None) -> dict:
    ddb = {"Keys": {"PK": {"S": pk}, "SK": {"S": sk}}, "SequenceNumber": "1"}
    if new is not None:
        ddb["NewImage"] = {"PK": {"S": pk}, "SK": {"S": sk}, **new}
    return {"eventID": "e", "eventName": event_name, "dynamodb": ddb}


def test_each_consumer_keeps_the_records_it_acts_on():
    f = stream_filters()
    assert set(f) == set(resources.STREAM_CONSUMERS)
    header_insert = _record("INSERT", "REQ#1", "META", {"status": {"S": "new"}})
    header_modify = _record("MODIFY", "REQ#1", "META", {"status": {"S": "routed"}})
    reopened = _record("INSERT", "REQ#1", "EVT#9", {"type": {"S": "reopened"}})
    routed = _record("INSERT", "REQ#1", "EVT#8", {"type": {"S": "routed"}})
    note = _record("INSERT", "REQ#1", "EVT#7", {"type": {"S": "note"}})
    counter = _record("MODIFY", "AGG#2026-12#Harman", "cop", {"n": {"N": "3"}})
    recent = _record("MODIFY", "RECENTOPEN#Harman#cop", "RECENT", {"r_1": {"S": "x"}})
    kept = {name: [r for r in (header_insert, header_modify, reopened, routed, note, counter, recent)
                   if matches(f[name], r)] for name in f}
    assert kept["route_requests"] == [header_insert]
    assert kept["aggregate_requests"] == [header_insert, header_modify]
    assert kept["workflow_events"] == [reopened]
    assert kept["notify_citizens"] == [header_insert, header_modify, routed]


def _all_records(aws) -> list[dict]:
    streams = aws_client("dynamodbstreams")
    out = []
    for shard in streams.describe_stream(StreamArn=aws["stream_arn"])["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=aws["stream_arn"], ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it, Limit=1000)
            if not page["Records"]:
                break
            out += page["Records"]
            it = page.get("NextShardIterator")
    for r in out:
        r["eventSourceARN"] = aws["stream_arn"]
    return out


def test_records_a_filter_drops_are_ones_the_consumer_ignores_on_a_real_stream(client, app, aws, pump):
    repo = container.repository()
    mail = dict(channel=Channel.email, citizen=Citizen(email="ayse@example.com"))
    first, _ = intake(IntakeCommand(channel_ref="<f1@example.com>", text="Yenidoğan mahallesinde çöpler toplanmadı",
                                    **mail), repo)
    for i in range(3):
        assert client.http.post("/requests", headers=auth("agent"), body=json.dumps(
            {"channel": "beyaz_masa", "text": f"Parktaki salıncak kırık ({i})", "channel_ref": f"sf-{i}"})).status_code == 201
    pump.drain()
    v = client.http.get(f"/requests/{first.id}", headers=auth("admin")).json_body["version"]
    assert client.http.post(f"/requests/{first.id}/status", headers=auth("admin"), body=json.dumps(
        {"status": "resolved", "version": v})).status_code == 200
    got, created = intake(IntakeCommand(channel_ref="<f2@example.com>", in_reply_to="<f1@example.com>",
                                        text="Çöpler hâlâ toplanmadı", **mail), repo)
    assert (got.id, created) == (first.id, False)
    pump.drain()
    # Through the filtering pump, the reopened request is back in its department's queue (workflow consumer).
    tasks = client.http.get(f"/departments/{got.department}/tasks?max=10", headers=auth("admin")).json_body["tasks"]
    assert [t["request_id"] for t in tasks if "reopen" in t["task_id"]] == [first.id]

    records = _all_records(aws)
    filters = stream_filters()
    for name in resources.STREAM_CONSUMERS:
        dropped = [r for r in records if not matches(filters[name], r)]
        assert dropped, name  # counters, markers, claims, ... are on the stream and are not this consumer's
        handler = app.handler_map[name]
        with recording() as calls:
            for r in dropped:  # one by one, so no header image in the batch can change another's handling
                out = handler({"Records": [r]}, LambdaContext(name, memory_size=512))
                assert not out or out == {"batchItemFailures": []}, (name, out)
        assert calls.operations == [], (name, calls.counts())
    kept = {name: [r for r in records if matches(filters[name], r)] for name in resources.STREAM_CONSUMERS}
    assert len(kept["route_requests"]) == 4  # the four requests' header inserts: nothing else is routed
    assert [r["dynamodb"]["NewImage"]["type"]["S"] for r in kept["workflow_events"]] == ["reopened"]
    print(f"\nstream records: {len(records)}; kept per consumer: { {n: len(k) for n, k in kept.items()} }")
