"""The in-memory twin of the DynamoDB repository, for use-case tests that need no AWS at all.

It stores the very items the schema module shapes (so indexes, keys and stored values are the DynamoDB
adapter's), and honours what the adapter guarantees: a transaction writes all of its items or none, every
condition (absent, version, compare-and-set, precondition) is checked before anything is written, and a
version conflict raises `Conflict` with the current request. tests/contract/ runs one suite on both.
"""
from __future__ import annotations

import copy
import itertools
import threading
from datetime import datetime
from typing import Any, Callable

from ..domain.errors import Conflict, PreconditionFailed, TrackingCodeTaken
from ..domain.inbox import InboxQuery
from ..domain.models import Request, TimelineEvent
from ..domain.ports import Page, Precondition, RecentOpenChange, RequestQuery
from .lookups import RequestLookups
from .markers import Markers
from .schema import requests as keys
from .schema import tasks as task_keys
from .schema.base import from_stored, sortable, to_stored
from .schema.requests import closing_change, decode_cursor, encode_cursor, request_from_item, request_from_partition
from .schema.replies import reply_feed_items

Key = tuple[str, str]
Check = Callable[[dict[str, Any] | None], bool]
DELETED = object()  # what a transaction's write returns to delete its item


class TransactionCancelled(Exception):
    """A transaction whose conditions did not all hold: nothing was written (`reasons` per item, as DynamoDB)."""

    def __init__(self, reasons: list[str | None]) -> None:
        super().__init__(f"transaction cancelled: {reasons}")
        self.reasons = reasons


def _absent(item: dict[str, Any] | None) -> bool:
    return item is None


def _stored(item: dict[str, Any]) -> dict[str, Any]:
    """What DynamoDB keeps of an item: top-level None dropped, numbers as DynamoDB returns them."""
    return from_stored(to_stored({k: v for k, v in item.items() if v is not None}))


def _same(stored: Any, value: Any) -> bool:
    return stored == from_stored(to_stored(value))


class InMemoryRepository(RequestLookups, Markers):
    def __init__(self, table_name: str = "memory") -> None:
        self.table_name = table_name
        self.items: dict[Key, dict[str, Any]] = {}
        self._lock = threading.RLock()

    # -- the table -----------------------------------------------------------------------------------
    def _transact(self, ops: list[tuple[Key, Check | None, Callable[[dict[str, Any] | None], dict | None]]]) -> None:
        """All or nothing: every check against the state before the transaction, then every write."""
        if len({key for key, _, _ in ops}) < len(ops):
            raise ValueError("Transaction request cannot include multiple operations on one item")
        with self._lock:
            reasons = [None if check is None or check(self.items.get(key)) else "ConditionalCheckFailed"
                       for key, check, _ in ops]
            if any(reasons):
                raise TransactionCancelled(reasons)
            for key, _, write in ops:
                result = write(self.items.get(key))
                if result is DELETED:
                    self.items.pop(key, None)
                elif result is not None:
                    self.items[key] = result

    @staticmethod
    def _key(item: dict[str, Any]) -> Key:
        return item["PK"], item["SK"]

    def _put_op(self, item: dict[str, Any], check: Check | None = _absent):
        stored = _stored(item)
        return self._key(stored), check, lambda _old: copy.deepcopy(stored)

    def _check_op(self, check: Precondition):
        def holds(item: dict[str, Any] | None) -> bool:
            if item is None:
                return True
            if check.passes_if is None:
                return False
            attr, compare, value = check.passes_if
            if compare not in ("<", "="):
                raise ValueError(f"unsupported precondition comparison {compare!r}")
            stored = item.get(attr)
            return stored is not None and (stored < value if compare == "<" else _same(stored, value))

        return (check.pk, check.sk), holds, lambda _old: None

    def _put_once(self, item: dict[str, Any], check: Check | None = _absent) -> bool:
        try:
            self._transact([self._put_op(item, check)])
        except TransactionCancelled:
            return False
        return True

    def put_marker(self, pk: str, sk: str, attrs: dict[str, Any], *, only_if_new: bool = True) -> bool:
        return self._put_once({"PK": pk, "SK": sk, **attrs}, _absent if only_if_new else None)

    def swap_marker(self, pk: str, sk: str, attrs: dict[str, Any], *, expected: dict[str, Any] | None) -> bool:
        def holds(item: dict[str, Any] | None) -> bool:
            if expected is None:
                return item is None
            return item is not None and all(
                attr not in item if value is None else _same(item.get(attr), value) for attr, value in expected.items())

        return self._put_once({"PK": pk, "SK": sk, **attrs}, holds)

    def get_marker(self, pk: str, sk: str) -> dict[str, Any] | None:
        with self._lock:
            item = self.items.get((pk, sk))
            return copy.deepcopy(item) if item is not None else None

    def get_markers(self, keys_: list[Key]) -> dict[Key, dict[str, Any]]:
        with self._lock:
            return {k: copy.deepcopy(self.items[k]) for k in dict.fromkeys(keys_) if k in self.items}

    def put_markers(self, markers: list[dict[str, Any]], *, events: list[tuple[str, TimelineEvent]] = ()) -> None:
        self._transact([self._put_op(m, None) for m in markers]
                       + [self._put_op(keys.event_item(rid, e)) for rid, e in events])

    def _query_all(self, pk: str, *, limit: int = 100_000, keys_only: bool = False) -> list[dict[str, Any]]:
        with self._lock:
            found = sorted((k, v) for k, v in self.items.items() if k[0] == pk)
        return [{"PK": k[0], "SK": k[1]} if keys_only else copy.deepcopy(v) for k, v in found[:limit]]

    def _query_after(self, pk: str, after_sk: str, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            found = sorted(((k, v) for k, v in self.items.items() if k[0] == pk and k[1] > after_sk), reverse=True)
        return [copy.deepcopy(v) for _, v in found[:limit]]

    def _index(self, index: str, pk: str) -> list[dict[str, Any]]:
        """The items of one index partition in sort-key order (sparse: only items holding the index keys)."""
        with self._lock:
            found = [v for v in self.items.values() if v.get(f"{index}PK") == pk]
        return sorted(found, key=lambda v: (v[f"{index}SK"], v["PK"], v["SK"]))

    # -- requests: writes ------------------------------------------------------------------------------
    def create(self, request: Request, *, dedupe_key: str | None,
               preconditions: tuple[Precondition, ...] = ()) -> Request:
        items = keys.creation_items(request, dedupe_key)
        try:
            self._transact([self._put_op(i) for i in items] + [self._check_op(c) for c in preconditions])
        except TransactionCancelled as exc:
            reasons = exc.reasons
            if dedupe_key and reasons[2] == "ConditionalCheckFailed":
                existing = self.get_by_dedupe_key(dedupe_key)
                if existing is not None:
                    return existing
            failed = frozenset(c.name for c, code in zip(preconditions, reasons[len(items):]) if code)
            if failed:
                raise PreconditionFailed(failed) from exc
            if reasons[1]:
                raise TrackingCodeTaken(request.tracking_code) from exc
            raise
        return request

    def save(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
             linked_events: list[tuple[str, TimelineEvent]] | None = None,
             recent: RecentOpenChange | None = None) -> Request:
        return self._save(request, expected_version, events, linked_events or [], recent, [])

    def mark_resolved(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
                      citizen: tuple[str, str] | None) -> Request:
        also = []
        if citizen is not None and request.resolved_at is not None:
            also.append(keys.last_resolved_item(*citizen, request.id, request.resolved_at))
        return self._save(request, expected_version, events, [], None, [self._put_op(i, None) for i in also])

    def reopen(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
               dedupe_key: str | None) -> Request:
        also = [self._put_op(keys.dedupe_item(dedupe_key, request.id))] if dedupe_key else []
        return self._save(request, expected_version, events, [], None, also)

    def record_survey_answer(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
                             score: int, at: datetime) -> Request:
        from .schema.surveys import answer_item

        also = [self._put_op(answer_item(request.department, request.id, score, at), None)] \
            if request.department else []
        return self._save(request, expected_version, events, [], None, also)

    def _save(self, request: Request, expected_version: int, events: list[TimelineEvent],
              linked_events: list[tuple[str, TimelineEvent]], recent: RecentOpenChange | None, also: list) -> Request:
        ops = [self._put_op(keys.header_item(request),
                            lambda item: item is not None and item.get("version") == expected_version)]
        ops += [self._put_op(keys.event_item(request.id, e)) for e in events]
        ops += [self._put_op(keys.event_item(rid, e)) for rid, e in linked_events]
        ops += [self._put_op(i, None) for i in reply_feed_items(request, events)]  # the live inbox's feed
        change = recent if recent is not None else closing_change(request)
        if change is not None and (change.add or change.drop):
            ops.append(self._recent_op(change))
        try:
            self._transact(ops + also)
        except TransactionCancelled as exc:
            if exc.reasons[0]:
                current = self.get(request.id)
                raise Conflict(
                    "Talep bu arada değişti; güncel sürümle yeniden deneyin / "
                    "the request changed meanwhile; retry with the current version",
                    details=current.model_dump(mode="json") if current else None) from exc
            raise
        request.timeline = [*request.timeline, *events]
        return request

    def _recent_op(self, change: RecentOpenChange):
        """Like DynamoDB's UpdateItem: SET/REMOVE single attributes, creating the item when absent."""
        key = (keys.recent_open_pk(change.neighbourhood, change.category), keys.RECENT_OPEN_SK)

        def write(old: dict[str, Any] | None) -> dict[str, Any]:
            item = copy.deepcopy(old) if old is not None else {"PK": key[0], "SK": key[1]}
            for rid in change.drop:
                if not (change.add and rid == change.add[0]):
                    item.pop(keys.RECENT_ATTR_PREFIX + rid, None)
            if change.add:
                item[keys.RECENT_ATTR_PREFIX + change.add[0]] = sortable(change.add[1])
            return item

        return key, None, write

    def append_events(self, request_id: str, events: list[TimelineEvent]) -> None:
        for event in events:
            self._put_once(keys.event_item(request_id, event))

    def claim_task(self, task_id: str, message_id: str) -> bool:
        return self._put_once(task_keys.claim_item(task_id, message_id),
                              lambda item: item is None or item.get("message_id") == message_id)

    def reassign_task(self, task_id: str, message_id: str) -> None:
        self._put_once(task_keys.claim_item(task_id, message_id), None)

    # -- requests: reads -------------------------------------------------------------------------------
    def get(self, request_id: str, *, with_timeline: bool = True) -> Request | None:
        if not with_timeline:
            header = self.get_marker(keys.request_pk(request_id), keys.HEADER_SK)
            return request_from_item(header) if header else None
        return request_from_partition(self._query_all(keys.request_pk(request_id)))

    def query(self, q: RequestQuery) -> Page:
        index, pk = keys.index_for(q)
        wanted = {"status": q.status, "channel": q.channel, "category": q.category, "kind": q.kind,
                  "nbh": q.neighbourhood, "assignee": q.assignee}
        lo = sortable(q.since) if q.since else ""
        hi = sortable(q.until) + "~" if q.until else "\uffff"
        start = decode_cursor(q.next, index) if q.next else None
        items: list[Request] = []
        for item in reversed(self._index(index, pk)):  # newest first
            position = {"PK": item["PK"], "SK": item["SK"], f"{index}PK": pk, f"{index}SK": item[f"{index}SK"]}
            if start is not None:
                if position == start:
                    start = None
                continue
            if not lo <= item[f"{index}SK"] <= hi or any(v and item.get(a) != v for a, v in wanted.items()):
                continue
            items.append(request_from_item(item))
            if len(items) >= q.limit:
                return Page(items=items, next=encode_cursor(index, position))
        return Page(items=items, next=None)

    def inbox(self, q: InboxQuery) -> Page:
        """The console inbox through the DynamoDB adapter's own plans, filter and cursor format
        (adapters/dynamo_inbox.py); with no read budget, a page is full or the last one."""
        from .dynamo_inbox import decode, encode, plans

        steps = plans(q)
        first, start = decode(q.next, len(steps)) if q.next else (0, None)
        rows = (row for step in range(first, len(steps))
                for row in self._inbox_rows(q, steps[step], start if step == first else None, step))
        found = list(itertools.islice(rows, q.limit + 1))
        page = found[:q.limit]
        last = None
        if len(found) > q.limit:
            step, plan, item = page[-1]
            last = encode(step, {k: {"S": item[k]} for k in ("PK", "SK", plan["pk_attr"], plan["sk_attr"])})
        return Page(items=[request_from_item(copy.deepcopy(item)) for _, _, item in page], next=last)

    def _inbox_rows(self, q: InboxQuery, plan: dict[str, Any], start: dict[str, Any] | None, step: int):
        """One plan's matching items in its index order, after the cursor's row when there is one."""
        from .dynamo_inbox import matches

        sk = plan["sk_attr"]
        with self._lock:
            found = [v for v in self.items.values() if v.get(plan["pk_attr"]) == plan["pk"]]
        found.sort(key=lambda v: (v[sk], v["PK"], v["SK"]), reverse=not plan["forward"])
        after = (start[sk]["S"], start["PK"]["S"], start["SK"]["S"]) if start else None
        for item in found:
            position = (item[sk], item["PK"], item["SK"])
            if after is not None and (position <= after if plan["forward"] else position >= after):
                continue
            if matches(q, plan, item):
                yield step, plan, item

    def query_public(self, since: datetime, until: datetime, *, page_size: int, max_reads: int) -> list[Request]:
        lo, hi = sortable(since), sortable(until) + "~"
        found = [i for i in reversed(self._index("O311", keys.OPEN311_PUBLIC)) if lo <= i["O311SK"] <= hi]
        return [request_from_item(i) for i in found[:page_size * max_reads]]

    def query_due(self, before: datetime, *, department: str | None = None, limit: int = 100,
                  start: dict[str, Any] | None = None) -> tuple[list[Request], dict[str, Any] | None]:
        """As DynamoDB: `limit` index items are read, then the department filter applies to them."""
        hi = sortable(before) + "~"
        due = [i for i in self._index("GSI4", keys.DUE) if i["GSI4SK"] <= hi]
        if start is not None:
            due = [i for i in due if (i["GSI4SK"], i["PK"]) > (start["GSI4SK"], start["PK"])]
        page = due[:limit]
        last = {"PK": page[-1]["PK"], "SK": page[-1]["SK"], "GSI4PK": keys.DUE, "GSI4SK": page[-1]["GSI4SK"]} \
            if len(due) > limit else None
        return [request_from_item(i) for i in page if not department or i.get("department") == department], last
