"""AWS calls per routed request over the whole routing path (issue 21), counted on the application's clients:
the pump's stream reads, the four stream consumers, the department's lease and ack. Counts, never time."""
from __future__ import annotations

import json
from collections import Counter

from tests.conftest import auth
from tests.support.aws_calls import recording

TEXTS = ["Sokak lambası yanmıyor", "Çöpler toplanmadı", "Parktaki salıncak kırık", "Yolda büyük çukur var",
         "Su borusu patladı", "Kaldırım taşları kırık", "Otobüs durağı çok kirli", "Ağaç dalları kabloya değiyor"]


def _post(client, n: int, prefix: str) -> list[str]:
    """Half name a mahalle (the duplicate look-up runs), half do not, as in the pipeline benchmark."""
    ids = []
    for i in range(n):
        place = "Harman mahallesinde " if i % 2 else ""
        body = {"channel": "beyaz_masa", "text": f"{place}{TEXTS[i % len(TEXTS)]} (kayıt {prefix}{i})",
                "channel_ref": f"{prefix}{i}"}
        res = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
        assert res.status_code == 201
        ids.append(res.json_body["id"])
    return ids


def _lease_and_ack_all(client) -> int:
    from chalicelib.domain.departments import municipality

    m = municipality()
    leased = 0
    for key in m.queue_keys:
        while True:
            res = client.http.get(f"/departments/{key}/tasks?max=10&wait=0", headers=auth("admin"))
            tasks = res.json_body.get("tasks", [])
            if not tasks:
                break
            for task in tasks:
                assert client.http.post(f"/departments/{key}/tasks/{task['lease']}/ack",
                                        headers=auth("admin")).status_code in (200, 204)
            leased += len(tasks)
    return leased


def _stream_rounds(pump) -> None:
    """The pump's stream rounds only (the idle queue/topic polls of `drain` are not the routing path)."""
    pump.__dict__["_force_rescan"] = True
    for _ in range(20):
        if pump.pump_stream() == 0:
            break


def test_whole_routing_path_calls_per_routed_request(client, app):
    from chalicelib import container
    from ulakbel_cli.pump import Pump

    pump = Pump(app, "local", log=lambda *_: None, stream_batch_size=100, stream_parallelism=1)
    _post(client, 1, "warm-")
    pump.drain()  # warm: queue URLs learnt, shards known
    _lease_and_ack_all(client)
    n = 20
    ids = _post(client, n, "pc-")
    with recording() as routing:
        _stream_rounds(pump)
    with recording() as leasing:
        leased = _lease_and_ack_all(client)
    pump.stop()
    statuses = Counter(container.repository().get(i, with_timeline=False).status.value for i in ids)
    assert statuses["routed"] == leased and statuses["routed"] + statuses["duplicate"] == n
    r, l = routing.counts(), leasing.counts()
    print(f"\nrouting path per request: {sum(r.values()) / n:.2f} {dict(r)}\nlease+ack per request: "
          f"{sum(l.values()) / n:.2f} {dict(l)}")
    # Tasks go out in batches (one SendMessageBatch per department per stream batch), never one call per task.
    assert r["SendMessage"] == 0 and 1 <= r["SendMessageBatch"] < leased
    # One routing (or linking) transaction per request + the analytics counters' one per batch.
    assert r["TransactWriteItems"] <= n + r["GetRecords"]
    # The duplicate look-up: one GetItem per request that names a mahalle (+ a BatchGetItem when candidates).
    assert r["GetItem"] <= n // 2 and r["BatchGetItem"] <= r["GetItem"]
    assert not ({"Query", "Scan", "SendMessage"} & set(r))
    assert sum(r.values()) / n < 3  # was 3.0 with one SendMessage per task (60 calls for these 20, 2026-12-07)
