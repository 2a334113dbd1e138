"""The whole pipeline on the embedded default (issue 21): intake → routed → leased by the department, at two
table sizes (empty, and a preloaded history of ≥ 20,000 requests), side by side in one run, against a floor.

For each size a fresh `ulakbel dev --preload-history N` is started (the history is written with the real item
shapes before the pump starts; see ulakbel_cli/history.py), then:

1. floor — the same minimal work by a plain loop against the same embedded AWS, same concurrency: per request
   one TransactWriteItems (intake), the table's stream read in batches, one SendMessage and one UpdateItem
   (route). Closed loop, `--capacity-n` requests: its routed/s is the ceiling of this machine + moto. Measured
   before and again after the ulakbel phases (alternating: the machine is shared); ulakbel/floor uses the mean.
2. sustained — `--rate` requests/s offered open-loop for `--duration` s (not a burst) through POST /requests;
   every department queue is leased (and acked) by a poller as a department would. Reports accepted/s,
   routed/s, leased/s and received→routed / received→leased p50/p95/p99.
3. capacity — `--capacity-n` requests as fast as `--workers` clients go (closed loop): accepted/s, routed/s,
   leased/s; routed/s over the floor's routed/s is the "ulakbel/floor" figure.

Half of the texts name a neighbourhood (the duplicate look-up runs; similar ones cluster, as in real life —
a clustered request counts as routed, and has no task to lease), half do not. Received = the server's
`received_at`; routed = the task's `routed_at` (or the `duplicate_of` event); leased = when the poller got it.

Full run: `.venv/bin/python -m bench.pipeline` (defaults: sizes 0 and 20000, 25/s for 60 s, capacity 1500,
8 workers, stream batch 100 × parallelism 8; the load average before and after each size is recorded).
Smoke: `.venv/bin/python -m bench.pipeline --quick`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bench.common import DevServer, median, pct, write

PROBLEMS = ["sokak lambası yanmıyor", "çöpler toplanmadı", "parktaki salıncak kırık", "yolda büyük çukur var",
            "su borusu patladı", "başıboş köpekler okul önünde", "kaldırım taşları kırık",
            "otobüs durağı çok kirli", "gece inşaat gürültüsü var", "ağaç dalları kabloya değiyor"]


def _texts(n: int, seed: int) -> list[str]:
    from chalicelib import understanding as routing

    places = [p["name"] for p in routing.neighbourhoods()]
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        problem = PROBLEMS[rnd.randrange(len(PROBLEMS))]
        if i % 2:
            out.append(f"{rnd.choice(places)} mahallesinde {problem} (#{seed}-{i})")
        else:
            out.append(f"{problem.capitalize()}, lütfen ilgilenin (#{seed}-{i})")
    return out


def _ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


LEASE_WAIT_S = 20  # SQS long polling at its maximum, as a department's poller would: answered on arrival


class Leasers:
    """One poller per department queue: lease up to 10 tasks (long poll), note when, ack each."""

    def __init__(self, dev: DevServer, session_factory) -> None:
        import requests

        self.dev = dev
        self.session_factory = session_factory
        self.headers = {"Authorization": f"Bearer {dev.tokens['admin']}"}
        from chalicelib.domain.departments import municipality

        doc = requests.get(dev.base + "/departments", timeout=30).json()
        self.queues = sorted({d["code"] for d in doc["items"]} | {municipality().triage_queue})
        self.leased: dict[str, tuple[float, float]] = {}  # request id -> (routed_at, leased at)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._poll, args=(q,), daemon=True) for q in self.queues]

    def __enter__(self) -> "Leasers":
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()  # pollers end after their current long poll (daemon threads: never waited for long)
        deadline = time.monotonic() + 5
        for t in self.threads:
            t.join(timeout=max(0.0, deadline - time.monotonic()))

    def _poll(self, queue: str) -> None:
        s = self.session_factory()
        while not self.stop.is_set():
            try:
                res = s.get(f"{self.dev.base}/departments/{queue}/tasks?max=10&wait={LEASE_WAIT_S}", headers=self.headers,
                            timeout=60)
                got = time.time()
                tasks = res.json().get("tasks", []) if res.status_code == 200 else []
            except Exception:
                time.sleep(0.5)
                continue
            for task in tasks:
                with self.lock:
                    self.leased.setdefault(task["request_id"], (_ts(task["routed_at"]), got))
                try:
                    s.post(f"{self.dev.base}/departments/{queue}/tasks/{task['lease']}/ack", headers=self.headers,
                           timeout=60)
                except Exception:
                    pass
            if not tasks and res.status_code != 200:
                time.sleep(0.5)


def _fire(dev: DevServer, texts: list[str], workers: int, rate: float | None, session) -> tuple[dict, float, int]:
    """POST /requests; open loop at `rate`/s (None: closed loop). Returns ({id: received_at}, seconds, errors)."""
    accepted: dict[str, float] = {}
    errors = 0
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {dev.tokens['agent']}", "Content-Type": "application/json"}
    started = time.perf_counter()

    def one(i: int) -> None:
        nonlocal errors
        if rate:
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        body = json.dumps({"channel": "beyaz_masa", "text": texts[i], "channel_ref": f"p-{texts[i][-16:]}-{i}"})
        try:
            res = session().post(dev.base + "/requests", headers=headers, data=body.encode(), timeout=60)
            doc = res.json() if res.status_code == 201 else None
        except Exception:
            doc = None
        with lock:
            if doc and doc.get("id"):
                accepted[doc["id"]] = _ts(doc["received_at"])
            else:
                errors += 1

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(len(texts))))
    return accepted, time.perf_counter() - started, errors


def _phase(dev: DevServer, leasers: Leasers, texts: list[str], workers: int, rate: float | None,
           wait_s: float, session) -> dict:
    import requests

    t0 = time.time()
    accepted, fire_s, errors = _fire(dev, texts, workers, rate, session)
    deadline = time.monotonic() + wait_s
    headers = {"Authorization": f"Bearer {dev.tokens['admin']}"}
    routed: dict[str, float] = {}
    leased: dict[str, float] = {}
    pending = set(accepted)
    last_change, last_count = time.monotonic(), -1
    while pending and time.monotonic() < deadline:
        with leasers.lock:
            for rid in list(pending):
                if rid in leasers.leased:
                    routed[rid], leased[rid] = leasers.leased[rid]
                    pending.discard(rid)
        if len(pending) != last_count:
            last_change, last_count = time.monotonic(), len(pending)
        if pending and time.monotonic() - last_change > 3:
            # Leasing has gone quiet: what is left is clustered (no task; routed = its `duplicate_of` event)
            # or still on its way. Asked once per quiet spell, after the measured flow, never during it.
            for rid in sorted(pending):
                if time.monotonic() > deadline:  # the sweep must not outlast the wait it serves
                    break
                try:
                    doc = requests.get(f"{dev.base}/requests/{rid}", headers=headers, timeout=60).json()
                except Exception:
                    continue
                ev = [e for e in doc.get("timeline", []) if e["type"] == "duplicate_of"]
                if doc.get("status") == "duplicate" and ev:
                    routed[rid] = _ts(ev[0]["at"])
                    pending.discard(rid)
            last_change, last_count = time.monotonic(), len(pending)
        time.sleep(0.5)
    received = [accepted[r] for r in accepted]
    r2r = [(routed[r] - accepted[r]) * 1000 for r in routed]
    r2l = [(leased[r] - accepted[r]) * 1000 for r in leased]
    first = min(received) if received else t0
    span_routed = (max(routed.values()) - first) if routed else float("nan")
    span_leased = (max(leased.values()) - first) if leased else float("nan")
    return {
        "offered_per_s": rate, "requests": len(texts), "accepted": len(accepted), "errors": errors,
        "routed": len(routed), "leased": len(leased), "clustered": len(routed) - len(leased),
        "not_routed_within_wait": len(pending),
        "accepted_per_s": round(len(accepted) / fire_s, 1) if fire_s else None,
        "routed_per_s": round(len(routed) / span_routed, 1) if routed and span_routed > 0 else None,
        "leased_per_s": round(len(leased) / span_leased, 1) if leased and span_leased > 0 else None,
        **{f"received_to_routed_p{p}_ms": round(pct(r2r, p), 1) for p in (50, 95, 99)},
        **{f"received_to_leased_p{p}_ms": round(pct(r2l, p), 1) for p in (50, 95, 99)},
    }


def floor(dev: DevServer, n: int, workers: int, parallelism: int, batch: int, wait_s: float) -> dict:
    """The minimal work, plain loop: TransactWriteItems → stream GetRecords → SendMessage + UpdateItem."""
    import boto3

    kw = dict(endpoint_url=dev.moto_url, region_name="eu-central-1", aws_access_key_id="testing",
              aws_secret_access_key="testing")
    ddb, sqs, streams = boto3.client("dynamodb", **kw), boto3.client("sqs", **kw), boto3.client("dynamodbstreams", **kw)
    table = f"bench-floor-{int(time.time() * 1000)}"
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    queue = sqs.create_queue(QueueName=f"{table}.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    routed: dict[str, float] = {}
    received: dict[str, float] = {}
    stop = threading.Event()

    def consume() -> None:
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        pool = ThreadPoolExecutor(max_workers=parallelism)

        def route(record: dict) -> None:
            pk = record["dynamodb"]["Keys"]["PK"]["S"]
            sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"pk": pk}), MessageGroupId=pk[-1],
                             MessageDeduplicationId=pk)
            ddb.update_item(TableName=table, Key={"PK": {"S": pk}}, UpdateExpression="SET #s = :r",
                            ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":r": {"S": "routed"}})
            routed[pk] = time.time()

        while not stop.is_set():
            out = streams.get_records(ShardIterator=it, Limit=batch * parallelism)
            it = out["NextShardIterator"]
            inserts = [r for r in out.get("Records", []) if r["eventName"] == "INSERT"]
            if not inserts:
                time.sleep(0.05)
                continue
            list(pool.map(route, inserts))
        pool.shutdown()

    consumer = threading.Thread(target=consume, daemon=True)
    consumer.start()

    def intake(i: int) -> None:
        pk = f"F#{i}"
        received[pk] = time.time()
        ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(PK)",
                                                         "Item": {"PK": {"S": pk}, "status": {"S": "new"},
                                                                  "text": {"S": PROBLEMS[i % len(PROBLEMS)]}}}}])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(intake, range(n)))
    fire_s = time.perf_counter() - started
    deadline = time.monotonic() + wait_s
    while len(routed) < n and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    consumer.join(timeout=10)
    first = min(received.values())
    r2r = [(routed[k] - received[k]) * 1000 for k in routed]
    return {"requests": n, "routed": len(routed), "accepted_per_s": round(n / fire_s, 1),
            "routed_per_s": round(len(routed) / (max(routed.values()) - first), 1) if routed else None,
            "received_to_routed_p50_ms": round(median(r2r), 1), "received_to_routed_p99_ms": round(pct(r2r, 99), 1)}


def run_size(size: int, args) -> dict:
    import requests

    local = threading.local()

    def session():
        if not hasattr(local, "s"):
            local.s = requests.Session()
        return local.s

    load_before = os.getloadavg()
    flags = ["--preload-history", str(size), "--stream-batch-size", str(args.batch_size),
             "--stream-parallelism", str(args.parallelism)]
    started = time.perf_counter()
    with DevServer(*flags, ready_timeout=900) as dev:
        ready_s = time.perf_counter() - started
        base = floor(dev, args.capacity_n, args.workers, args.parallelism, args.batch_size, args.wait)
        with Leasers(dev, session) as leasers:
            _phase(dev, leasers, _texts(20, seed=size + 1), min(4, args.workers), None, 60, session)  # warm up
            sustained = _phase(dev, leasers, _texts(int(args.rate * args.duration), seed=size + 2), args.workers,
                               args.rate, args.wait, session)
            capacity = _phase(dev, leasers, _texts(args.capacity_n, seed=size + 3), args.workers, None,
                              args.wait, session)
        # The floor again, right after: the machine is shared, so ulakbel is compared with the mean of the floor
        # measured just before and just after it (alternating), not with one floor from other minutes.
        after = floor(dev, args.capacity_n, args.workers, args.parallelism, args.batch_size, args.wait)
    floors = [f["routed_per_s"] for f in (base, after) if f["routed_per_s"]]
    floor_routed = round(sum(floors) / len(floors), 1) if floors else None
    ratio = (capacity["routed_per_s"] / floor_routed) if capacity["routed_per_s"] and floor_routed else None
    return {"stored_before": size, "start_and_preload_s": round(ready_s, 1),
            "load_average_1_5_15": {"before": [round(x, 2) for x in load_before],
                                    "after": [round(x, 2) for x in os.getloadavg()]},
            "floor": base, "floor_after": after, "floor_routed_per_s_mean": floor_routed, "sustained": sustained,
            "capacity": capacity, "routed_over_floor": round(ratio, 3) if ratio else None,
            "routed_over_accepted": round(capacity["routed_per_s"] / capacity["accepted_per_s"], 3)
            if capacity["routed_per_s"] and capacity["accepted_per_s"] else None}


def markdown(result: dict) -> str:
    """Both table sizes side by side: medians/percentiles and the ratios the targets are about."""
    runs, t = result["runs"], result["targets"]
    m = result.get("measured_on", {})
    head = "| Figure | " + " | ".join(f"{r['stored_before']:,} stored" for r in runs) + " | Target |"
    lines = [f"Measured {m.get('date', '?')} on {m.get('system', '?')} {m.get('machine', '?')}, "
             f"{m.get('cpus', '?')} CPUs, Python {m.get('python', '?')}; settings: "
             + ", ".join(f"{k} {v}" for k, v in result["settings"].items() if k != "quick"), "",
             head, "| --- " * (len(runs) + 2) + "|"]

    def row(name: str, cells: list, target: str = "—") -> None:
        lines.append(f"| {name} | " + " | ".join(str(c) for c in cells) + f" | {target} |")

    row("load average (1/5/15 min) before → after", [
        " / ".join(map(str, r.get("load_average_1_5_15", {}).get("before", []))) + " → "
        + " / ".join(map(str, r.get("load_average_1_5_15", {}).get("after", []))) for r in runs])
    row("start + preload (s)", [r["start_and_preload_s"] for r in runs])
    rate = result["settings"]["rate"]
    for label, key in (("accepted/s", "accepted_per_s"), ("routed/s", "routed_per_s"), ("leased/s", "leased_per_s")):
        row(f"sustained {rate}/s: {label}", [r["sustained"][key] for r in runs])
    for p in (50, 95, 99):
        row(f"sustained: received→routed p{p} (ms)", [r["sustained"][f"received_to_routed_p{p}_ms"] for r in runs],
            "≤ 5000" if p == 99 else "—")
    for p in (50, 95, 99):
        row(f"sustained: received→leased p{p} (ms)", [r["sustained"][f"received_to_leased_p{p}_ms"] for r in runs])
    row("sustained: clustered / not routed within the wait",
        [f"{r['sustained']['clustered']} / {r['sustained']['not_routed_within_wait']}" for r in runs])
    for label, key in (("accepted/s", "accepted_per_s"), ("routed/s", "routed_per_s"), ("leased/s", "leased_per_s")):
        row(f"capacity ({result['settings']['capacity_n']} req): {label}", [r["capacity"][key] for r in runs])
    row("capacity: received→routed p50 / p99 (ms)", [
        f"{r['capacity']['received_to_routed_p50_ms']} / {r['capacity']['received_to_routed_p99_ms']}" for r in runs])
    row("floor: accepted/s / routed/s (before ulakbel)",
        [f"{r['floor']['accepted_per_s']} / {r['floor']['routed_per_s']}" for r in runs])
    row("floor: accepted/s / routed/s (after ulakbel)",
        [f"{r['floor_after']['accepted_per_s']} / {r['floor_after']['routed_per_s']}" if r.get("floor_after") else "—"
         for r in runs])
    row("floor: received→routed p50 / p99 (ms)", [
        f"{r['floor']['received_to_routed_p50_ms']} / {r['floor']['received_to_routed_p99_ms']}" for r in runs])
    row("**routed/s ÷ accepted/s** (capacity)", [r["routed_over_accepted"] for r in runs], "≥ 0.5")
    row("**ulakbel/floor** (routed/s, capacity ÷ mean of the two floors)", [r["routed_over_floor"] for r in runs], "—")
    lines += ["", f"routed/s at {runs[-1]['stored_before']:,} stored ÷ routed/s empty (capacity): "
              f"**{t['routed_large_over_empty']['measured']}** (target ≥ 0.8); the same with each size's routed/s "
              f"taken relative to its own floor (the machine's load differs between the sizes' minutes): "
              f"**{t['routed_large_over_empty']['floor_normalised']}**"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0,20000", help="stored requests before each run, comma separated")
    ap.add_argument("--rate", type=float, default=25.0, help="sustained offered load, requests/s")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of sustained load")
    ap.add_argument("--capacity-n", type=int, default=1500, help="requests of the closed-loop capacity phase")
    ap.add_argument("--workers", type=int, default=8, help="concurrent clients (and floor intake workers)")
    ap.add_argument("--batch-size", type=int, default=100, help="stream batch size (pump and floor)")
    ap.add_argument("--parallelism", type=int, default=8, help="stream parallelism per shard (pump and floor)")
    ap.add_argument("--wait", type=float, default=180.0, help="max seconds to wait for routing/leasing")
    ap.add_argument("--quick", action="store_true", help="smoke run: sizes 0,500, 10/s for 10 s, capacity 100")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.rate, args.duration, args.capacity_n, args.wait = "0,500", 10.0, 10.0, 100, 90.0
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = [run_size(size, args) for size in sizes]
    small, large = runs[0], runs[-1]
    result = {
        "settings": {k: v for k, v in vars(args).items()}, "runs": runs,
        "targets": {
            "routed_over_accepted": {"target": 0.5, "measured": [r["routed_over_accepted"] for r in runs]},
            "routed_large_over_empty": {
                "target": 0.8, "measured": round(large["capacity"]["routed_per_s"] / small["capacity"]["routed_per_s"], 3)
                if large["capacity"]["routed_per_s"] and small["capacity"]["routed_per_s"] else None,
                "floor_normalised": round(large["routed_over_floor"] / small["routed_over_floor"], 3)
                if large["routed_over_floor"] and small["routed_over_floor"] else None},
            "received_to_routed_p99_ms_at_rate": {"target": 5000, "rate": args.rate,
                                                  "measured": [r["sustained"]["received_to_routed_p99_ms"] for r in runs]},
        },
    }
    path = write("pipeline", result)
    (path.parent / "pipeline.md").write_text(markdown(json.loads(path.read_text())))
    for r in runs:
        s, c, f = r["sustained"], r["capacity"], r["floor"]
        print(f"stored {r['stored_before']}: sustained {args.rate}/s → accepted {s['accepted_per_s']}/s, routed "
              f"{s['routed_per_s']}/s, leased {s['leased_per_s']}/s; received→routed p50/p95/p99 "
              f"{s['received_to_routed_p50_ms']}/{s['received_to_routed_p95_ms']}/{s['received_to_routed_p99_ms']} ms, "
              f"→leased p50/p95/p99 {s['received_to_leased_p50_ms']}/{s['received_to_leased_p95_ms']}/"
              f"{s['received_to_leased_p99_ms']} ms | capacity: accepted {c['accepted_per_s']}/s, routed "
              f"{c['routed_per_s']}/s, leased {c['leased_per_s']}/s | floor routed {f['routed_per_s']}/s → "
              f"ulakbel/floor {r['routed_over_floor']}")
    print(json.dumps(result["targets"], ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
