"""Routing cost does not grow with the table: the same decisions cost the same calls and read the same items
whether 50 or 2,000 requests are stored (issue 21). Counted at the boto3 seam (calls, and items in each answer);
no wall clock. The stored history is written with the same item shapes intake and routing leave behind
(ulakbel_cli/history.py), and the hot neighbourhood × category is full beyond the look-up's bound at both sizes.
"""
from __future__ import annotations

import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.aws_calls import recording_reads

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # frozen: every verdict below is relative to it
HOT_TEXT = "Cumhuriyet mahallesinde çöpler üç gündür toplanmadı, konteyner taştı"
SIMILAR = "Cumhuriyet mah çöpler toplanmıyor konteyner taşmış"
OTHER = ["Harman mahallesinde sokak lambası yanmıyor", "Bahçelievler mahallesinde yolda büyük çukur var",
         "Mevlana mahallesinde parktaki salıncak kırık"]


def _fresh_stage(moto_server):
    from chalicelib import container
    from chalicelib.adapters.bootstrap import bootstrap

    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=10)
    container.reset()
    bootstrap("local")


def _new_request(text: str, at: datetime):
    from chalicelib.domain import identifiers
    from chalicelib.domain.models import Channel, Request, TimelineEvent

    return Request(id=identifiers.new_id(), tracking_code=identifiers.new_tracking_code(),
                   channel=Channel.beyaz_masa, received_at=at, text=text,
                   timeline=[TimelineEvent(id=identifiers.new_id(), at=at, type="received", visibility="public",
                                           data={"channel": "beyaz_masa"})])


def _fill_hot_cluster(repo, count: int):
    """`count` open requests of the hot neighbourhood × category inside the window, with unrelated texts."""
    from chalicelib.domain.models import Location, Status

    filler = []
    for i in range(count):
        r = _new_request(f"Kayıt {i}: pazar yeri tezgah düzeni hakkında bilgi {i}", NOW - timedelta(hours=1 + i / 2))
        filler.append(r.model_copy(update={"status": Status.routed, "category": "cop_toplama",
                                           "department": "temizlik", "version": 2,
                                           "location": Location(neighbourhood="Cumhuriyet")}))
    return filler


def _write(repo, requests):
    from chalicelib.adapters.aws import client
    from ulakbel_cli.history import history_items

    items = history_items(requests, repo, NOW)
    ddb = client("dynamodb")
    for start in range(0, len(items), 25):
        ddb.batch_write_item(RequestItems={repo.table_name: [{"PutRequest": {"Item": repo._av(i)}}
                                                             for i in items[start:start + 25]]})


def _decisions_at(stored: int, moto_server) -> list[tuple[list[str], int, str]]:
    """Store `stored` past requests, then route the same six new requests; per decision: calls, items, outcome."""
    from chalicelib import container
    from chalicelib.usecases.route import route_new_request
    from ulakbel_cli.history import history_requests

    _fresh_stage(moto_server)
    repo, queue, classify = container.repository(), container.task_queue(), container.classifier()
    _write(repo, history_requests(stored, NOW) + _fill_hot_cluster(repo, 60))
    warm = _new_request("Isınma: kuyruk adresleri öğrenilir, ağaç budaması", NOW - timedelta(minutes=5))
    repo.create(warm, dedupe_key=None)
    route_new_request(warm, repo, queue, classify, clock=lambda: NOW)
    texts = [HOT_TEXT, SIMILAR, *OTHER, SIMILAR + " yine"]
    out = []
    for i, text in enumerate(texts):
        request = _new_request(text, NOW + timedelta(seconds=i))
        repo.create(request, dedupe_key=None)
        with recording_reads() as reads:
            task = route_new_request(request, repo, queue, classify, clock=lambda: NOW + timedelta(minutes=1))
        stored_now = repo.get(request.id, with_timeline=False)
        outcome = "task" if task is not None else f"{stored_now.status.value}"
        out.append((reads.operations, reads.items_read, outcome))
    return out


def test_routing_reads_the_same_at_50_and_2000_stored_requests(aws, moto_server):
    from ulakbel_cli.moto_speedups import installed

    with installed():  # `ulakbel dev`'s copy-free transactions: moto's own copies the table on every one
        small = _decisions_at(50, moto_server)
        large = _decisions_at(2000, moto_server)
    for (ops_s, items_s, out_s), (ops_l, items_l, out_l) in zip(small, large):
        print(f"\n50: {out_s} {ops_s} {items_s} items | 2000: {out_l} {ops_l} {items_l} items")
    # The same decisions, each with the same calls and the same number of items read.
    assert [o for *_, o in small] == [o for *_, o in large]
    assert [(ops, n) for ops, n, _ in small] == [(ops, n) for ops, n, _ in large]
    # The decisions are the ones expected: the hot report is new, its look-alikes join it, the others are new.
    assert [o for *_, o in small] == ["task", "duplicate", "task", "task", "task", "duplicate"]
    all_ops = {op for ops, _, _ in small + large for op in ops}
    assert not ({"Query", "Scan"} & all_ops)  # no index walk on the routing path
    # Bounded reads: the recent-open item (1) + at most 25 candidate headers, even with 60 open in the cluster.
    assert max(n for _, n, _ in small + large) <= 1 + 25
    hot_ops, hot_items, _ = small[0]  # (a warm container has learnt the queue's URL: GetQueueUrl once)
    assert [op for op in hot_ops if op != "GetQueueUrl"] == ["GetItem", "BatchGetItem", "SendMessage",
                                                            "TransactWriteItems"] and hot_items == 1 + 25


def test_recent_open_item_stays_bounded_and_forgets_resolved_requests(client, app, aws, pump):
    """Closing a request drops it from its neighbourhood × category item; the item never exceeds its bound."""
    import json

    from chalicelib import container
    from chalicelib.usecases.duplicates import MAX_ENTRIES
    from tests.conftest import auth

    r = client.http.post("/requests", headers=auth("agent"), body=json.dumps(
        {"channel": "beyaz_masa", "text": HOT_TEXT}))
    assert r.status_code == 201
    pump.drain()
    repo = container.repository()
    created = repo.get(r.json_body["id"])
    assert created.status.value == "routed"
    assert set(repo.recent_open("Cumhuriyet", created.category)) == {created.id}
    for status in ("in_progress", "resolved"):
        current = repo.get(created.id)
        res = client.http.post(f"/requests/{created.id}/status", headers=auth("admin"),
                               body=json.dumps({"status": status, "version": current.version}))
        assert res.status_code == 200, res.json_body
    assert repo.recent_open("Cumhuriyet", created.category) == {}
    # Over the bound: 60 open entries are cut to MAX_ENTRIES by the next routing in that cluster.
    _write(repo, _fill_hot_cluster(repo, 60))
    assert len(repo.recent_open("Cumhuriyet", "cop_toplama")) == MAX_ENTRIES  # the writer's own bound
    from chalicelib.adapters.schema import requests as keys
    from chalicelib.adapters.schema.base import sortable
    from chalicelib.adapters.aws import client as aws_client

    extra = {keys.RECENT_ATTR_PREFIX + f"OLD{i:04d}": {"S": sortable(NOW - timedelta(days=30 + i))}
             for i in range(20)}
    names = {f"#a{i}": k for i, k in enumerate(extra)}
    aws_client("dynamodb").update_item(
        TableName=repo.table_name, Key={"PK": {"S": keys.recent_open_pk("Cumhuriyet", "cop_toplama")},
                                        "SK": {"S": keys.RECENT_OPEN_SK}},
        UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(extra))),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues={f":v{i}": v for i, v in enumerate(extra.values())})
    request = _new_request("Cumhuriyet mahallesinde çöpler bu hafta hiç alınmadı, koku var", NOW + timedelta(hours=2))
    repo.create(request, dedupe_key=None)
    from chalicelib.usecases.route import route_new_request

    route_new_request(request, repo, container.task_queue(), container.classifier(), clock=lambda: NOW + timedelta(hours=2))
    left = repo.recent_open("Cumhuriyet", "cop_toplama")
    assert not any(rid.startswith("OLD") for rid in left)  # aged entries pruned in the routing transaction
    assert len(left) <= MAX_ENTRIES + 1 and request.id in left


def _sweep_and_counters_at(stored: int, moto_server):
    """`stored` resolved past requests + the same 30 open ones; per job: calls and items read."""
    from chalicelib.adapters.schema.requests import header_item

    from chalicelib import container
    from chalicelib.domain.models import Location, Status
    from chalicelib.handlers.stream.analytics import aggregate_requests
    from chalicelib.usecases.escalation import sweep
    from ulakbel_cli.history import history_requests

    _fresh_stage(moto_server)
    repo = container.repository()
    open_work = [r.model_copy(update={"status": Status.routed, "category": "cop_toplama", "department": "temizlik",
                                      "version": 2, "due_at": NOW + timedelta(hours=(i % 3 - 1) * 12),
                                      "location": Location(neighbourhood="Harman")})
                 for i, r in enumerate(_new_request(f"Açık iş {i}", NOW - timedelta(hours=30 + i)) for i in range(30))]
    _write(repo, history_requests(stored, NOW, open_share=0, recent_open=False) + open_work)
    with recording_reads() as sweep_reads:
        result = sweep(repo, container.task_queue(), now=NOW, notify=None)
    records = []
    for n, r in enumerate(open_work[:40]):
        image = repo._av(header_item(r))
        records.append({"eventID": f"ev{n}", "eventName": "INSERT", "dynamodb": {
            "Keys": {"PK": image["PK"], "SK": image["SK"]}, "NewImage": image, "SequenceNumber": str(100 + n)}})
    with recording_reads() as counter_calls:
        out = aggregate_requests({"Records": records}, None)
    assert out == {"batchItemFailures": []}
    return sweep_reads, result, counter_calls


def test_escalation_sweep_and_analytics_counters_do_not_grow_with_the_table(aws, moto_server):
    """The sweep reads only the sparse due index (the open work), never the history; the analytics consumer
    writes a whole stream batch in one transaction, whatever the table holds."""
    from ulakbel_cli.moto_speedups import installed

    with installed():
        s_small, r_small, c_small = _sweep_and_counters_at(50, moto_server)
        s_large, r_large, c_large = _sweep_and_counters_at(2000, moto_server)
    print(f"\nsweep: {s_small.operations.count('Query')} queries, {s_small.items_read} items (50) vs "
          f"{s_large.operations.count('Query')} queries, {s_large.items_read} items (2000); counters: "
          f"{c_small.operations} vs {c_large.operations}")
    assert r_small.examined == r_large.examined == 30
    assert (s_small.operations, s_small.items_read) == (s_large.operations, s_large.items_read)
    assert c_small.operations == c_large.operations == ["TransactWriteItems"]  # 30 records, one transaction


def _retention_at(stored: int, moto_server):
    """`stored` closed requests inside the retention period + the same 10 past it; one retention run."""
    from chalicelib import container
    from chalicelib.adapters.privacy_store import DynamoPrivacyStore
    from chalicelib.usecases.privacy import run_retention
    from ulakbel_cli.history import history_requests

    _fresh_stage(moto_server)
    repo = container.repository()
    kept = history_requests(stored, NOW, open_share=0, recent_open=False, days=365)
    due = history_requests(10, NOW - timedelta(days=800), open_share=0, recent_open=False, days=5, seed=99)
    _write(repo, kept + due)
    with recording_reads() as reads:
        result = run_retention(repo, DynamoPrivacyStore(repo), 730, clock=lambda: NOW)
    return reads, result


def test_kvkk_retention_reads_the_work_due_not_the_table(aws, moto_server):
    """The retention job finds what is due on its sparse index: the same reads at 50 and 2,000 stored."""
    from ulakbel_cli.moto_speedups import installed

    with installed():
        small, r_small = _retention_at(50, moto_server)
        large, r_large = _retention_at(2000, moto_server)
    print(f"\nretention: {small.operations} {small.items_read} items (50) vs {large.items_read} items (2000)")
    assert r_small == r_large == {"anonymised": 10, "skipped": 0}
    assert (small.operations, small.items_read) == (large.operations, large.items_read)
    assert "Scan" not in small.operations


class _AcceptingSender:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, message):
        from chalicelib.domain.outbound import SendResult

        self.sent.append(message.message_id)
        return SendResult("sns", f"pm-{message.message_id}")


def _outbound_at(stored: int, moto_server):
    """`stored` past requests, then one SMS reply to a new request: the consumer's calls and items read."""
    from chalicelib import container
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases import outbound
    from chalicelib.usecases.intake import intake
    from ulakbel_cli.history import history_requests

    _fresh_stage(moto_server)
    repo = container.repository()
    _write(repo, history_requests(stored, NOW))
    request = intake(IntakeCommand(channel=Channel.sms, text="Sokak lambası yanmıyor", channel_ref="vol-1",
                                   citizen=Citizen(phone="+905051234567")), repo)[0]
    message = OutboundMessage(message_id="01JVOLUME", request_id=request.id, route="sms", to="+905051234567",
                              text="Ekibimiz yola çıktı.", created_at="2026-03-02T09:00:00Z")
    sender = _AcceptingSender()
    with recording_reads() as reads:
        outcome = outbound.send(message, repo, {"sms": sender}, now=NOW)
    return reads, outcome, sender.sent


def test_outbound_consumer_reads_the_same_at_50_and_2000_stored_requests(aws, moto_server):
    """Sending a reply reads its own markers and request by key: nothing follows the table's size."""
    from ulakbel_cli.moto_speedups import installed

    with installed():
        small, out_small, sent_small = _outbound_at(50, moto_server)
        large, out_large, sent_large = _outbound_at(2000, moto_server)
    print(f"\noutbound: {small.operations} {small.items_read} items (50) vs {large.items_read} items (2000)")
    assert sent_small == sent_large == ["01JVOLUME"] and out_small == out_large
    assert (small.operations, small.items_read) == (large.operations, large.items_read)
    assert not ({"Query", "Scan"} & set(small.operations))
