"""An in-memory stand-in for the requests repository, used only to replay the demo history fast.

Why: the demo runs 2,000 requests through intake, routing and the workflow use cases; against the embedded
DynamoDB that is ~30,000 round trips (minutes on a busy 2-core machine). The use cases run unchanged against
the in-memory twin, and the end state — headers, events, tracking/dedupe/citizen markers, the recent-open
items, exactly the items of the schema module — is then written in BatchWriteItem calls of 25 (seconds).
Department tasks of the replayed past are dropped (`NullQueue`): that work is done."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.adapters.memory import InMemoryRepository
from chalicelib.adapters.schema import requests as keys


class NullQueue:
    def send(self, task) -> None:  # noqa: D401 - the replayed past's tasks are already done
        return None


class ReplayStore(InMemoryRepository):
    """The in-memory twin (chalicelib/adapters/memory.py): the use cases run unchanged against it, and its
    items are exactly the ones the DynamoDB adapter writes (the same schema), ready for BatchWriteItem."""

    def backdate(self, request_id: str, received: datetime) -> None:
        """Intake dates its `received` event at the moment it ran; in a replayed past that moment is `received`."""
        from pydantic import TypeAdapter

        from chalicelib.adapters.schema.base import parse_datetime

        when = TypeAdapter(datetime).dump_python(received, mode="json")  # as the models store a time
        with self._lock:
            for (pk, sk), item in self.items.items():
                if pk == keys.request_pk(request_id) and keys.is_event(pk, sk) \
                        and parse_datetime(item["at"]) > received:
                    item["at"] = when
            header = self.items[(keys.request_pk(request_id), keys.HEADER_SK)]
            header["updated_at"] = when

    def end_state(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(item) for item in self.items.values()]


def write_items(real, items: list[dict[str, Any]], *, threads: int = 4) -> int:
    """BatchWriteItem in 25s (unprocessed items retried), a few calls in flight at once; the same items the
    adapter's transactions write."""
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.adapters.aws import client

    ddb = client("dynamodb")
    chunks = [items[i:i + 25] for i in range(0, len(items), 25)]

    def put(chunk: list[dict[str, Any]]) -> None:
        pending = {real.table_name: [{"PutRequest": {"Item": real._av(i)}} for i in chunk]}
        for _ in range(10):
            pending = ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                return
        raise RuntimeError("BatchWriteItem kept items unprocessed")

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(put, chunks))
    return len(items)
