"""Faults at the adapter seam: nothing lost, nothing doubled, every failure visible and replayable.

Each scenario drives N mixed requests (several channels, several departments) through the API, the
DynamoDB stream and the department queues while botocore hooks on our own clients inject the fault
(tests/support/aws_calls.py). Then it asserts: exactly N stored, exactly N tasks leased (one per request),
failures that outlived the retries are visible in a DLQ and `ulakbel dlq replay` brings them home.
Counts are printed (`pytest -s tests/faults`).
"""
from __future__ import annotations

import json

import pytest
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

from chalicelib import container
from chalicelib.adapters import dlq
from chalicelib.domain.departments import municipality
from tests.conftest import auth
from tests.support.aws_calls import Fault, injecting
from ulakbel_cli.dlq import replay

N = 12
TEXTS = [
    "Sokak lambası iki gündür yanmıyor",
    "Çöpler üç gündür toplanmadı, koku var",
    "Parktaki salıncak kırık, çocuklar için tehlikeli",
    "Yolda büyük bir çukur var, araçlar zarar görüyor",
    "Başıboş köpekler okul önünde dolaşıyor",
    "Su borusu patladı, cadde su içinde",
]
CHANNELS = ["beyaz_masa", "phone", "mobile_app", "email"]


def _read_timeout():
    return ReadTimeoutError(endpoint_url="http://injected")


def _connect_timeout():
    return ConnectTimeoutError(endpoint_url="http://injected")


def submit(client, i: int, scenario: str) -> list[int]:
    """Like a webhook provider: retry on 5xx/timeout with the same message id until accepted."""
    body = {"channel": CHANNELS[i % len(CHANNELS)], "text": f"{TEXTS[i % len(TEXTS)]} (#{i})",
            "channel_ref": f"{scenario}-{i}"}
    statuses = []
    for _ in range(20):
        res = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
        statuses.append(res.status_code)
        if res.status_code < 500:
            break
    return statuses


def deliver(pump, rounds: int = 40) -> None:
    """Run the pump until the stream is quiet; failing records are retried, then dead-lettered."""
    quiet = 0
    for _ in range(rounds):
        moved = pump.run_once()
        quiet = quiet + 1 if moved == 0 else 0
        if quiet >= 6:  # > MAX_STREAM_ATTEMPTS rounds without progress: every failure is dead-lettered
            return


def dead_letter_depths(stage: str = "local") -> dict[str, int]:
    out = {}
    for pair in dlq.pairs(stage):
        for name in ((pair.dlq, pair.source) if pair.key == "stream-failures" else (pair.dlq,)):
            url = dlq.queue_url(name)
            if url and (d := dlq.depth(url)):
                out[name] = d
    return out


def stored_requests(client) -> list[dict]:
    items, nxt = [], None
    for _ in range(50):
        path = "/requests?limit=200" + (f"&next={nxt}" if nxt else "")
        page = json.loads(client.http.get(path, headers=auth("admin")).body)
        items += page["items"]
        nxt = page["next"]
        if not nxt:
            break
    return items


def leased_tasks(client) -> list[str]:
    ids = []
    for code in municipality().queue_keys:
        for _ in range(50):
            res = client.http.get(f"/departments/{code}/tasks?max=10", headers=auth("admin"))
            assert res.status_code == 200, res.body
            tasks = json.loads(res.body)["tasks"]
            if not tasks:
                break
            ids += [t["request_id"] for t in tasks]
            for t in tasks:
                client.http.post(f"/departments/{code}/tasks/{t['lease']}/ack", headers=auth("admin"))
    return ids


def run_scenario(client, pump, name: str, faults: list[Fault], *, setup=None, teardown=None) -> dict:
    if setup:
        setup()
    with injecting(*faults) as injector:
        attempts = [submit(client, i, name) for i in range(N)]
        deliver(pump)
    if teardown:
        teardown()
    dead = dead_letter_depths()
    replayed = replay("local", log=lambda *_: None)
    deliver(pump)
    stored = stored_requests(client)
    tasks = leased_tasks(client)
    counts = {
        "scenario": name, "requests": N, "faults_fired": injector.fired,
        "http_retries": sum(len(a) - 1 for a in attempts), "dead_lettered": sum(dead.values()),
        "replayed": replayed["stream_records"] + replayed["tasks"] + replayed["messages"],
        "stored": len(stored), "routed": sum(1 for r in stored if r["status"] == "routed"),
        "tasks": len(tasks), "distinct_tasks": len(set(tasks)),
    }
    print(f"\n{json.dumps(counts, ensure_ascii=False)}")
    assert all(a[-1] in (200, 201) for a in attempts), attempts
    assert counts["stored"] == N
    assert counts["routed"] == N
    assert counts["tasks"] == N and sorted(tasks) == sorted(r["id"] for r in stored)
    assert replayed["failed"] == 0 and dead_letter_depths() == {}
    return counts


# Routing sends a stream batch's tasks with SendMessageBatch (one call per department per ≤ 10 tasks, issue 21).
SCENARIOS = {
    "throttled-dynamodb": lambda: [Fault("TransactWriteItems", "ProvisionedThroughputExceededException",
                                         times=N)],
    "throttled-sqs": lambda: [Fault("SendMessageBatch", "ThrottlingException", times=N)],
    "aws-5xx": lambda: [Fault("TransactWriteItems", "InternalServerError", status=500, times=N // 2),
                        Fault("SendMessageBatch", "InternalError", status=500, times=N // 2)],
    "timeouts": lambda: [Fault("TransactWriteItems", exception=_connect_timeout, times=N // 3),
                         # the write happened, the answer was lost: the retry must not store it twice
                         Fault("TransactWriteItems", exception=_read_timeout, phase="after", times=N // 3),
                         Fault("SendMessageBatch", exception=_read_timeout, times=N // 3)],
    "crash-after-send-before-mark": lambda: [
        Fault("SendMessageBatch", exception=lambda: RuntimeError("crash after send"), phase="after", times=N)],
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_nothing_lost_nothing_doubled(client, pump, name):
    counts = run_scenario(client, pump, name, SCENARIOS[name]())
    assert counts["faults_fired"] > 0


def test_crash_between_intake_and_routing_is_dead_lettered_and_replayed(client, pump):
    """The stream consumer dies on every record: all N end in the stream-failures queue, then replay."""
    from chalicelib.understanding import classify

    def crashing(*_a, **_k):
        raise RuntimeError("consumer crashed")

    counts = run_scenario(client, pump, "crash-between-intake-and-routing", [],
                          setup=lambda: container.override("classifier", crashing),
                          teardown=lambda: container.override("classifier", classify))
    assert counts["dead_lettered"] >= 1 and counts["replayed"] == counts["dead_lettered"]


def test_one_poisoned_record_in_a_batch(client, pump):
    """One record fails every attempt: the rest route, it alone goes to the DLQ and replay routes it."""
    from chalicelib.understanding import classify

    def poisoned(text, **kw):
        if "(#5)" in text:
            raise RuntimeError("poisoned record")
        return classify(text, **kw)

    counts = run_scenario(client, pump, "one-poisoned-record", [],
                          setup=lambda: container.override("classifier", poisoned),
                          teardown=lambda: container.override("classifier", classify))
    assert counts["dead_lettered"] == 1 and counts["replayed"] == 1


def test_department_consumer_failure_goes_to_task_dlq_and_replays_once(client, pump):
    """A task released again and again (consumer keeps failing) lands in the task DLQ; replay leases it once."""
    body = {"channel": "beyaz_masa", "text": "Parktaki salıncak kırık", "channel_ref": "poison-task"}
    rid = json.loads(client.http.post("/requests", headers=auth("agent"), body=json.dumps(body)).body)["id"]
    pump.drain()
    leases = 0
    for _ in range(12):
        res = json.loads(client.http.get("/departments/park/tasks?max=10", headers=auth("admin")).body)
        if not res["tasks"]:
            break
        leases += 1
        for t in res["tasks"]:
            client.http.post(f"/departments/park/tasks/{t['lease']}/release", headers=auth("admin"))
    depths = dead_letter_depths()
    counts = replay("local", log=lambda *_: None)
    tasks = leased_tasks(client)
    print(f"\n{json.dumps({'scenario': 'task-consumer-failure', 'leases_before_dlq': leases, 'dlq': depths, 'replayed': counts, 'tasks_after_replay': len(tasks)})}")
    assert sum(depths.values()) == 1
    assert counts["tasks"] == 1 and tasks == [rid]
    assert dead_letter_depths() == {}
