"""The dev pump delivers stream records as Lambda would: batches of at most BatchSize, up to ParallelizationFactor
concurrent batches per shard with one partition key's records in order, partial failures retried (issue 21)."""
from __future__ import annotations

import json
import threading

import pytest

from chalicelib import container
from tests.conftest import auth


def _post(client, n: int, prefix: str) -> list[str]:
    ids = []
    for i in range(n):
        body = {"channel": "beyaz_masa", "text": f"Parktaki salıncak kırık {prefix} (#{i})", "channel_ref": f"{prefix}{i}"}
        res = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
        assert res.status_code == 201
        ids.append(res.json_body["id"])
    return ids


class _Spy:
    def __init__(self, pump):
        self.batches: list[tuple[str, int, str]] = []  # (consumer, size, thread)
        self.keys: list[list[str]] = []
        self._lock = threading.Lock()
        self._invoke = pump.invoke
        pump.invoke = self

    def __call__(self, name, event):
        records = event.get("Records", [])
        if name == "route_requests" and records and "dynamodb" in records[0]:
            with self._lock:
                self.batches.append((name, len(records), threading.current_thread().name))
                self.keys.append([r["dynamodb"]["Keys"]["PK"]["S"] for r in records])
        return self._invoke(name, event)


def test_batches_respect_size_and_parallelism_and_route_everything(client, app):
    from ulakbel_cli.pump import Pump

    ids = _post(client, 12, "b")
    pump = Pump(app, "local", log=lambda *_: None, stream_batch_size=4, stream_parallelism=3)
    spy = _Spy(pump)
    try:
        pump.drain()
    finally:
        pump.stop()
    sizes = [size for _, size, _ in spy.batches]
    assert sizes and max(sizes) <= 4
    assert len({t for *_, t in spy.batches}) > 1  # more than one batch ran on the pool
    for rid in ids:
        assert container.repository().get(rid, with_timeline=False).status.value == "routed"


def test_a_failed_record_holds_back_only_its_own_key_and_is_retried(client, app):
    """A record failing twice is retried (not lost, not doubled); other keys' records were not held back."""
    from chalicelib.understanding import classify
    from ulakbel_cli.pump import Pump

    failures = {"left": 2}

    def flaky(text, **kw):
        if "(#3)" in text and failures["left"] > 0:
            failures["left"] -= 1
            raise RuntimeError("transient")
        return classify(text, **kw)

    ids = _post(client, 8, "f")
    container.override("classifier", flaky)
    pump = Pump(app, "local", log=lambda *_: None, stream_batch_size=2, stream_parallelism=2)
    try:
        pump.drain()
    finally:
        container.override("classifier", classify)
        pump.stop()
    assert failures["left"] == 0
    for rid in ids:
        request = container.repository().get(rid)
        assert request.status.value == "routed"
        assert [e.type for e in request.timeline].count("routed") == 1


def test_one_keys_records_stay_in_one_batch_in_order():
    """Grouping by partition key (no AWS): every key lands in exactly one concurrent group, order kept."""
    from types import SimpleNamespace

    from ulakbel_cli.pump import Pump

    app = SimpleNamespace(event_sources=[], handler_map={})
    pump = Pump(app, "local", log=lambda *_: None, stream_batch_size=100, stream_parallelism=4)
    seen: list[list[tuple[str, int]]] = []
    lock = threading.Lock()

    def invoke(name, event):
        if name == "route_requests":
            with lock:
                seen.append([(r["dynamodb"]["Keys"]["PK"]["S"], int(r["dynamodb"]["SequenceNumber"]))
                             for r in event["Records"]])
        return {"batchItemFailures": []}

    pump.invoke = invoke
    # header inserts: records the route consumer's filter lets through (filters.py)
    records = [{"eventID": str(n), "eventName": "INSERT",
                "dynamodb": {"Keys": {"PK": {"S": f"REQ#{n % 7}"}, "SK": {"S": "META"}},
                             "SequenceNumber": str(n)}} for n in range(60)]
    delivered, failed = pump._deliver(records)
    pump.stop()
    assert len(delivered) == 60 and not failed
    assert 1 < len(seen) <= 4
    owner = {}
    for i, batch in enumerate(seen):
        for key, _ in batch:
            assert owner.setdefault(key, i) == i  # one key, one group
        for key in {k for k, _ in batch}:
            seqs = [s for k, s in batch if k == key]
            assert seqs == sorted(seqs)


@pytest.mark.parametrize("size,parallelism", [(-1, 1), (10, 11), (20000, 1)])
def test_lambda_limits_are_enforced(size, parallelism):
    from types import SimpleNamespace

    from ulakbel_cli.pump import Pump

    with pytest.raises(ValueError):
        Pump(SimpleNamespace(event_sources=[], handler_map={}), "local", stream_batch_size=size,
             stream_parallelism=parallelism)


def test_the_pump_sleeps_only_after_a_round_that_moved_nothing():
    """The poll interval adds latency only when the stream was idle: rounds that delivered records follow each
    other without a sleep (so received→routed under load is queueing, never the pump's interval)."""
    from types import SimpleNamespace

    from ulakbel_cli.pump import Pump

    pump = Pump(SimpleNamespace(event_sources=[], handler_map={}), "local", log=lambda *_: None)
    moved = iter([3, 2, 0, 4, 0, 0])
    rounds: list[str] = []

    def stream():
        n = next(moved, None)
        if n is None:
            pump._stop.set()
            return 0
        rounds.append(f"stream:{n}")
        return n

    class Stop:
        def __init__(self):
            self.flag = False

        def is_set(self):
            return self.flag

        def set(self):
            self.flag = True

        def wait(self, seconds):
            rounds.append(f"sleep:{seconds}")

    pump._stop = Stop()
    pump.pump_stream = stream
    pump.pump_queues = pump.pump_sns = pump.pump_transcribe = lambda *a, **k: 0
    pump._loop(0.2)
    assert rounds == ["stream:3", "stream:2", "stream:0", "sleep:0.2", "stream:4", "stream:0", "sleep:0.2",
                      "stream:0", "sleep:0.2", "sleep:0.2"]  # the last: the round that ended the loop
