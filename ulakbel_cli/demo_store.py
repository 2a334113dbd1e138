"""An in-memory stand-in for the requests repository, used only to replay the demo history fast.

Why: the demo runs 2,000 requests through intake, routing and the workflow use cases; against the embedded
DynamoDB that is ~30,000 round trips (minutes on a busy 2-core machine). The use cases run unchanged against
this store, and the end state — headers, events, tracking/dedupe/citizen markers, the recent-open items —
is then written with the real adapter's own item builders in BatchWriteItem calls of 25 (seconds).
Department tasks of the replayed past are dropped (`NullQueue`): that work is done."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.adapters import dynamo_keys as keys
from chalicelib.domain.errors import Conflict, PreconditionFailed, TrackingCodeTaken
from chalicelib.domain.models import Request, TimelineEvent
from chalicelib.domain.ports import Precondition, RecentOpenChange


class NullQueue:
    def send(self, task) -> None:  # noqa: D401 - the replayed past's tasks are already done
        return None


class ReplayStore:
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name
        self.headers: dict[str, Request] = {}
        self.events: dict[str, list[TimelineEvent]] = {}
        self.markers: dict[tuple[str, str], dict[str, Any]] = {}
        self.recent: dict[tuple[str, str], dict[str, datetime]] = {}

    # -- reads --------------------------------------------------------------------------------------
    def get(self, request_id: str, *, with_timeline: bool = True) -> Request | None:
        header = self.headers.get(request_id)
        if header is None:
            return None
        copy = header.model_copy(deep=True)
        events = sorted(self.events.get(request_id, []), key=lambda e: e.id)
        copy.timeline = [e.model_copy(deep=True) for e in events] if with_timeline else []
        copy.duplicate_count = sum(1 for e in events if e.type == "duplicate_linked")
        return copy

    def get_many(self, request_ids: list[str]) -> list[Request]:
        return [r for r in (self.get(i, with_timeline=False) for i in request_ids) if r is not None]

    get_headers = get_many

    def get_marker(self, pk: str, sk: str) -> dict[str, Any] | None:
        found = self.markers.get((pk, sk))
        return dict(found) if found else None

    def get_markers(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return {k: dict(self.markers[k]) for k in wanted if k in self.markers}

    def get_by_tracking_code(self, code: str) -> Request | None:
        m = self.get_marker(keys.tracking_pk(code), "TRACK")
        return self.get(m["request_id"]) if m else None

    def get_by_dedupe_key(self, dedupe_key: str) -> Request | None:
        m = self.get_marker(keys.dedupe_pk(dedupe_key), "INBOUND")
        return self.get(m["request_id"]) if m else None

    def recent_open(self, neighbourhood: str, category: str) -> dict[str, datetime]:
        return dict(self.recent.get((neighbourhood, category), {}))

    # -- writes -------------------------------------------------------------------------------------
    def _holds(self, check: Precondition) -> bool:
        found = self.markers.get((check.pk, check.sk))
        if found is None:
            return True
        if check.passes_if is None:
            return False
        attr, compare, value = check.passes_if
        have = found.get(attr)
        return have is not None and (have < value if compare == "<" else have == value)

    def create(self, request: Request, *, dedupe_key: str | None, preconditions: tuple = ()) -> Request:
        if dedupe_key and (keys.dedupe_pk(dedupe_key), "INBOUND") in self.markers:
            return self.get_by_dedupe_key(dedupe_key)
        failed = frozenset(c.name for c in preconditions if not self._holds(c))
        if failed:
            raise PreconditionFailed(failed)
        if (keys.tracking_pk(request.tracking_code), "TRACK") in self.markers:
            raise TrackingCodeTaken(request.tracking_code)
        self.headers[request.id] = request.model_copy(update={"timeline": []}, deep=True)
        self.events[request.id] = list(request.timeline)
        self.markers[(keys.tracking_pk(request.tracking_code), "TRACK")] = {
            "PK": keys.tracking_pk(request.tracking_code), "SK": "TRACK", "request_id": request.id}
        if dedupe_key:
            self.markers[(keys.dedupe_pk(dedupe_key), "INBOUND")] = {
                "PK": keys.dedupe_pk(dedupe_key), "SK": "INBOUND", "request_id": request.id}
        return request

    def save(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
             extra_puts: list[dict[str, Any]] | None = None,
             linked_events: list[tuple[str, TimelineEvent]] | None = None,
             recent: RecentOpenChange | None = None) -> Request:
        from chalicelib.adapters.dynamo_repository import _closing_change

        current = self.headers.get(request.id)
        if current is None or current.version != expected_version:
            raise Conflict("version moved on", details=None)
        self.headers[request.id] = request.model_copy(update={"timeline": []}, deep=True)
        self.events.setdefault(request.id, []).extend(events)
        for rid, e in linked_events or []:
            self.events.setdefault(rid, []).append(e)
        change = recent if recent is not None else _closing_change(request)
        if change is not None:
            slot = self.recent.setdefault((change.neighbourhood, change.category), {})
            for rid in change.drop:
                slot.pop(rid, None)
            if change.add:
                slot[change.add[0]] = change.add[1]
        for extra in extra_puts or []:
            item = extra["item"]
            self.markers[(item["PK"], item["SK"])] = dict(item)
        request.timeline = [*request.timeline, *events]
        return request

    def append_events(self, request_id: str, events: list[TimelineEvent]) -> None:
        self.events.setdefault(request_id, []).extend(events)

    def put_marker(self, pk: str, sk: str, attrs: dict[str, Any], *, only_if_new: bool = True) -> bool:
        if only_if_new and (pk, sk) in self.markers:
            return False
        self.markers[(pk, sk)] = {"PK": pk, "SK": sk, **attrs}
        return True

    def put_markers(self, markers: list[dict[str, Any]], *, events=()) -> None:
        for m in markers:
            self.markers[(m["PK"], m["SK"])] = dict(m)
        for rid, e in events:
            self.events.setdefault(rid, []).append(e)

    def claim_task(self, task_id: str, message_id: str) -> bool:
        return self.put_marker(keys.task_claim_pk(task_id), "CLAIM", {"message_id": message_id})

    # -- the end state, as the DynamoDB adapter writes it ------------------------------------------
    def items(self, real) -> list[dict[str, Any]]:
        from chalicelib.adapters.privacy_store import citizen_markers

        out: list[dict[str, Any]] = []
        for rid, header in self.headers.items():
            out.append(real._header_item(header))
            out += [real._event_item(rid, e) for e in self.events.get(rid, [])]
            out += citizen_markers(header)
        out += list(self.markers.values())
        for (nbh, cat), entries in self.recent.items():
            if entries:
                out.append({"PK": keys.recent_open_pk(nbh, cat), "SK": keys.RECENT_OPEN_SK,
                            **{keys.RECENT_ATTR_PREFIX + rid: keys.sortable(at) for rid, at in entries.items()}})
        return out


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
