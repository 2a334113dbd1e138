"""An in-memory stand-in for the requests repository, used only to replay the demo history fast.

Why: the demo runs 2,000 requests through intake, routing and the workflow use cases; against the embedded
DynamoDB that is ~30,000 round trips (minutes on a busy 2-core machine). The use cases run unchanged against
the in-memory twin, and the end state — headers, events, tracking/dedupe/citizen markers, the recent-open
items, exactly the items of the schema module — is then written in BatchWriteItem calls of 25 (seconds).
Department tasks of the replayed past are dropped (`NullQueue`): that work is done."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from chalicelib.adapters.memory import InMemoryRepository, _absent, _stored
from chalicelib.adapters.schema import requests as keys


@lru_cache(maxsize=1)
def _time_adapter():
    from pydantic import TypeAdapter

    return TypeAdapter(datetime)


class NullQueue:
    def send(self, task) -> None:  # noqa: D401 - the replayed past's tasks are already done
        return None


class _PartitionedItems(dict):
    """The twin's `items` ((PK, SK) → item), with a second map PK → {SK: item} kept beside it: the twin finds a
    partition by looking at every item of the table (fine for a test's dozens, quadratic over a year's
    17,000), the replay asks for one partition at a time. Items are only ever set (the twin deletes nothing)."""

    def __init__(self) -> None:
        super().__init__()
        self.partitions: dict[str, dict[str, dict[str, Any]]] = {}

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.partitions.setdefault(key[0], {})[key[1]] = value


class ReplayStore(InMemoryRepository):
    """The in-memory twin (chalicelib/adapters/memory.py): the use cases run unchanged against it, and its
    items are exactly the ones the DynamoDB adapter writes (the same schema), ready for BatchWriteItem.
    Only the twin's look-ups are faster here (a partition by its key, not by looking at every item)."""

    def __init__(self, table_name: str = "memory") -> None:
        super().__init__(table_name)
        self.items = _PartitionedItems()

    def _query_all(self, pk: str, *, limit: int = 100_000, keys_only: bool = False) -> list[dict[str, Any]]:
        """As the twin's: the partition's items in SK order, as copies (every reader maps them with
        `from_stored`, which builds new containers, so a shallow copy keeps the store unshared)."""
        with self._lock:
            found = sorted(self.items.partitions.get(pk, {}).items())[:limit]
        return [{"PK": pk, "SK": sk} if keys_only else dict(item) for sk, item in found]

    def _put_op(self, item: dict[str, Any], check=_absent):
        """As the twin's, without its copy of the stored item: `_stored` already built it fresh for this op."""
        stored = _stored(item)
        return self._key(stored), check, lambda _old: stored

    def get_marker(self, pk: str, sk: str) -> dict[str, Any] | None:
        with self._lock:
            item = self.items.get((pk, sk))
            return dict(item) if item is not None else None

    def backdate(self, request_id: str, received: datetime) -> None:
        """Intake dates its `received` event at the moment it ran; in a replayed past that moment is `received`."""
        from chalicelib.adapters.schema.base import parse_datetime

        when = _time_adapter().dump_python(received, mode="json")  # as the models store a time
        pk = keys.request_pk(request_id)
        with self._lock:
            partition = self.items.partitions.get(pk, {})
            for sk, item in partition.items():
                if keys.is_event(pk, sk) and parse_datetime(item["at"]) > received:
                    item["at"] = when
            partition[keys.HEADER_SK]["updated_at"] = when

    def end_state(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(item) for item in self.items.values()]


def wire_item(real, item: dict[str, Any]) -> dict[str, Any]:
    """`real._av(item)` (DynamoDB JSON, top-level None dropped) for the replay's items, which `_stored` already
    made plain (str, int, float, bool, None, dicts and lists of them): built directly instead of through a JSON
    round trip and boto3's TypeSerializer, the largest cost of writing the demo year's ~17,000 items. Anything
    else goes the adapter's way; tests/console/test_demo_history.py checks both agree on a replayed history."""
    return {k: _wire(real, v) for k, v in item.items() if v is not None}


def _wire(real, value: Any) -> dict[str, Any]:
    kind = type(value)
    if kind is str:
        return {"S": value}
    if kind is bool:
        return {"BOOL": value}
    if kind is int:
        return {"N": str(value)}
    if kind is dict:
        return {"M": {k: _wire(real, v) for k, v in value.items()}}
    if kind is list:
        return {"L": [_wire(real, v) for v in value]}
    if value is None:
        return {"NULL": True}
    return real._value(value)  # floats (as Decimal, like the adapter), anything unexpected


def write_items(real, items: list[dict[str, Any]], *, bulk_load=None, threads: int = 4) -> int:
    """Writes the replay's end state into the stage's table; returns how many analytics cells were written
    with it (0: the items went through BatchWriteItem, whose stream records bring them to the consumers).

    Straight into the embedded AWS's table when it can (`bulk_load`: the embedded AWS in its own process,
    `ulakbel dev`; else moto in this process, the tests), as `--preload-history` does: without stream records,
    like a past that left the 24-hour stream long ago. Its analytics cells then go in with it (`history_cells`),
    so the dashboards are complete when the seed returns instead of minutes later."""
    from .history import _write_in_process

    wire = [wire_item(real, i) for i in items]
    if bulk_load is None and not _write_in_process(real.table_name, []):
        _batch_write(real.table_name, wire, threads)
        return 0
    cells = [real._av(c) for c in history_cells(items)]
    if bulk_load is not None:
        bulk_load(real.table_name, wire + cells)
    else:
        _write_in_process(real.table_name, wire + cells)
    return len(cells)


def history_cells(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The analytics cells of the replayed requests, by the analytics consumer's own arithmetic
    (`usecases.analytics_counters.deltas`, what `aggregate_requests` adds for each stream record). A request's
    counters are the sum of the deltas of all its changes, which telescopes to the delta of inserting its end
    state: so this is exactly what the year's stream records would have added, summed per cell."""
    from chalicelib.adapters.schema.counters import cell_item
    from chalicelib.adapters.schema.requests import request_from_item
    from chalicelib.usecases.analytics_counters import deltas

    cells: dict[Any, dict[str, int]] = {}
    for item in items:
        if keys.is_header(item["PK"], item["SK"]):
            for cell, counters in deltas(None, request_from_item(item)).items():
                into = cells.setdefault(cell, {})
                for attr, value in counters.items():
                    into[attr] = into.get(attr, 0) + value
    return [cell_item(cell.month, cell.sort_key(), {k: v for k, v in c.items() if v})
            for cell, c in cells.items() if any(c.values())]


def _batch_write(table: str, wire: list[dict[str, Any]], threads: int) -> None:
    """BatchWriteItem in 25s (unprocessed items retried), a few calls in flight at once."""
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.adapters.aws import client

    ddb = client("dynamodb")
    chunks = [wire[i:i + 25] for i in range(0, len(wire), 25)]

    def put(chunk: list[dict[str, Any]]) -> None:
        pending = {table: [{"PutRequest": {"Item": i}} for i in chunk]}
        for _ in range(10):
            pending = ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                return
        raise RuntimeError("BatchWriteItem kept items unprocessed")

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(put, chunks))
