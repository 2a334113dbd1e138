"""Analytics read cost at 1,000 vs 50,000 requests: the same number of DynamoDB reads (counters, not scans).

Run: `python -m bench.analytics`. In-process against an embedded moto server, through the Chalice test client
and the real handlers. The counters for the requests are produced by the pure function the stream consumer
uses (`analytics_counters.deltas(None, request)`), summed per cell and written straight to the analytics store: the
writes are one UpdateItem per cell (336 cells), not per request, so 50,000 requests seed in seconds. Then each
dashboard read is repeated at both sizes, counting its DynamoDB read calls (before-call hook), the items those
reads returned (after-call hook, `Count` of each Query), and its latency.

`seed_counters` is also what tests/console/test_aggregate_cost.py uses, so the test and the bench seed alike.
"""
from __future__ import annotations

import os
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from bench.common import median, with_embedded_aws, write

NBH = ["Yenidoğan", "Mevlana", "Bahçelievler", "Kiçikapı"]
CATS = [("cop_toplama", "temizlik"), ("park_bakim", "park"), ("yol_bakim", "fen_isleri")]
CHANNELS = ["phone", "whatsapp"]
DAYS = 14
CELLS = DAYS * len(NBH) * len(CATS) * len(CHANNELS)  # 336 distinct cells, all hit by both loads

SIZES = (1_000, 50_000)
READS = 15
PATHS = ("/analytics/summary", "/analytics/matrix", "/analytics/public", "/seffaf")
READ_OPS = {"Query", "Scan", "GetItem", "BatchGetItem", "TransactGetItems"}
TARGET = "same number of reads at 1,000 and 50,000 requests"


def requests(start: int, stop: int, today: datetime):
    """Requests start..stop-1 spread over the cells (day × neighbourhood × category × channel)."""
    from chalicelib.domain.models import Request

    for i in range(start, stop):
        k = i % CELLS
        day, rest = divmod(k, len(NBH) * len(CATS) * len(CHANNELS))
        nbh, rest = divmod(rest, len(CATS) * len(CHANNELS))
        cat, ch = divmod(rest, len(CHANNELS))
        received = today - timedelta(days=day, hours=2)
        status = ("routed", "in_progress", "resolved", "closed")[i % 4]
        done = status in ("resolved", "closed")
        yield Request(
            id=f"R{i:08d}", tracking_code=f"T{i}", channel=CHANNELS[ch], received_at=received, text="x",
            location={"neighbourhood": NBH[nbh]}, category=CATS[cat][0], department=CATS[cat][1], status=status,
            due_at=received + timedelta(hours=24 + i % 72),
            first_response_at=received + timedelta(hours=1 + i % 30),
            resolved_at=received + timedelta(hours=5 + i % 100) if done else None,
            satisfaction=(i % 5) + 1 if done else None,
        )


def seed_counters(start: int, stop: int, today: datetime) -> int:
    """Add the analytics counters of requests start..stop-1; deltas are summed per cell first, so this is
    one UpdateItem per cell touched. Returns the number of cells written."""
    from chalicelib import container
    from chalicelib.usecases.analytics_counters import deltas

    sums: dict = defaultdict(lambda: defaultdict(int))
    for request in requests(start, stop, today):
        for cell, d in deltas(None, request).items():
            for k, v in d.items():
                sums[cell][k] += v
    store = container.analytics_store()
    for cell, counters in sums.items():
        store.add(cell, counters)
    return len(sums)


class ReadMeter:
    """botocore hooks: DynamoDB read calls (before-call) and items they returned (after-call `Count`)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.items = 0
        self.bytes = 0
        self.on = False

    def before(self, model=None, **_):
        if self.on and model.service_model.service_name == "dynamodb" and model.name in READ_OPS:
            self.calls.append(model.name)

    def after(self, model=None, parsed=None, http_response=None, **_):
        if not (self.on and model.service_model.service_name == "dynamodb" and model.name in READ_OPS):
            return
        self.bytes += len(getattr(http_response, "content", b"") or b"")
        parsed = parsed or {}
        if "Count" in parsed:
            self.items += int(parsed["Count"])
        elif "Item" in parsed:
            self.items += 1
        elif "Responses" in parsed:
            self.items += sum(len(v) for v in parsed["Responses"].values()) if isinstance(
                parsed["Responses"], dict) else len(parsed["Responses"])


def measure_reads(client, headers: dict, meter: ReadMeter, stores: dict, reads: int = READS) -> dict:
    """Per size and path: read calls and items of one uncached read (the same on every repetition) and the
    median latency. The sizes are interleaved read by read, so machine noise falls on both alike."""
    from chalicelib import container
    from chalicelib.usecases import analytics

    latencies: dict = defaultdict(list)
    shapes: dict = defaultdict(set)
    sizes: dict = {}
    for _ in range(reads):
        for size, store in stores.items():
            container.override("analytics_store", store)
            for path in PATHS:
                analytics.clear_public_cache()  # measure the uncached cost; the cache only makes it cheaper
                meter.calls.clear()
                meter.items = meter.bytes = 0
                meter.on = True
                started = time.perf_counter()
                r = client.http.get(path, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                meter.on = False
                if r.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {r.status_code} {r.body[:300]!r}")
                latencies[size, path].append(elapsed)
                shapes[size, path].add((tuple(meter.calls), meter.items))
                sizes[size, path] = meter.bytes
    out: dict = {size: {} for size in stores}
    for (size, path), seen in shapes.items():
        if len(seen) != 1:
            raise RuntimeError(f"{path} at {size}: reads differ between repetitions: {seen}")
        (calls, items), = seen
        out[size][path] = {"reads": len(calls), "operations": sorted(set(calls)), "items": items,
                           "response_bytes": sizes[size, path],
                           "median_ms": round(median(latencies[size, path]), 2), "samples": reads}
    return out


def _bench_table(name: str) -> str:
    """A table shaped like the requests table (PK/SK) holding only the counters of one load."""
    from chalicelib.adapters.aws import client

    ddb = client("dynamodb")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                                           {"AttributeName": "SK", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                                {"AttributeName": "SK", "KeyType": "RANGE"}])
    ddb.get_waiter("table_exists").wait(TableName=name)
    return name


def main() -> dict:
    return with_embedded_aws(_measure)


def _measure() -> dict:
    from chalice.test import Client

    from app import app
    from chalicelib import container
    from chalicelib.adapters import aws
    from chalicelib.adapters.bootstrap import bootstrap
    from chalicelib.adapters.dynamo_analytics import DynamoAnalyticsStore
    from chalicelib.auth import issue_dev_token

    container.reset()
    bootstrap("local")
    viewer = {"Authorization": "Bearer " + issue_dev_token(os.environ["ULAKBEL_DEV_SIGNING_KEY"], role="viewer")}
    today = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    # Each load in its own table, so the two sizes can be read alternately (side by side in one run).
    stores = {size: DynamoAnalyticsStore(_bench_table(f"ulakbel-local-analytics-bench-{size}")) for size in SIZES}
    seeding: dict[int, dict] = {}
    meter = ReadMeter()
    aws.add_hook("before-call", meter.before)
    aws.add_hook("after-call", meter.after)
    try:
        with Client(app, stage_name="local") as client:
            for size, store in stores.items():
                container.override("analytics_store", store)
                started = time.perf_counter()
                cells = seed_counters(0, size, today)
                seeding[size] = {"cells_written": cells, "seed_seconds": round(time.perf_counter() - started, 2)}
                count = client.http.get("/analytics/summary", headers=viewer).json_body["totals"]["count"]
                if count != size:
                    raise RuntimeError(f"seeded {size} requests but the summary counts {count}")
            measured = measure_reads(client, viewer, meter, stores)
    finally:
        aws.remove_hook("before-call", meter.before)
        aws.remove_hook("after-call", meter.after)
    small, large = (measured[s] for s in SIZES)
    equal = all(small[p]["reads"] == large[p]["reads"] and small[p]["operations"] == large[p]["operations"]
                for p in PATHS)
    scans = sum("Scan" in measured[s][p]["operations"] for s in SIZES for p in PATHS)
    result = {
        "target": TARGET, "equal_reads": equal, "scan_calls": scans, "sizes": list(SIZES),
        "reads_per_path": {p: {"1k": small[p]["reads"], "50k": large[p]["reads"],
                               "items_1k": small[p]["items"], "items_50k": large[p]["items"],
                               "bytes_1k": small[p]["response_bytes"], "bytes_50k": large[p]["response_bytes"],
                               "median_ms_1k": small[p]["median_ms"], "median_ms_50k": large[p]["median_ms"],
                               "operations": large[p]["operations"]} for p in PATHS},
        "reads_per_size": {str(s): sum(measured[s][p]["reads"] for p in PATHS) for s in SIZES},
        "samples": READS,
        "seeding": {str(s): v for s, v in seeding.items()},
        "detail": {str(s): v for s, v in measured.items()},
        "note": "counters are summed per cell before writing: one UpdateItem per cell, not per request. Reads and "
                "items are the same at both sizes; each counter item carries more histogram buckets at 50k "
                "(more requests per cell fill more buckets), so response bytes and latency grow a little, "
                "bounded by the number of buckets, not by the number of requests. Sizes are read alternately.",
    }
    write("analytics", result)
    print(f"analytics read cost 1k vs 50k requests (target: equal reads): equal_reads={equal}, Scan {scans}; " +
          "; ".join(f"{p} reads {small[p]['reads']}/{large[p]['reads']} items {small[p]['items']}/"
                    f"{large[p]['items']} median {small[p]['median_ms']}/{large[p]['median_ms']} ms" for p in PATHS))
    return result


if __name__ == "__main__":
    main()
