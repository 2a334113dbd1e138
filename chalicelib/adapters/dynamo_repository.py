"""Requests in one DynamoDB table: transactions for every multi-item write, queries (never scans) for reads."""
from __future__ import annotations

import base64
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError, ConnectionError as AwsConnectionError, HTTPClientError

from ..domain.errors import (Conflict, InvalidInput, PreconditionFailed, TemporarilyUnavailable,
                             TrackingCodeTaken)
from ..domain.models import OPEN_STATUSES, Request, Status, TimelineEvent
from ..domain.ports import Page, Precondition, RecentOpenChange, RequestQuery
from . import dynamo_keys as keys
from .dynamo_inbox import inbox_attrs
from .aws import client

_TRANSIENT = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
    "TransactionConflict",  # a cancellation reason: another transaction held the item (e.g. a recent-open item)
}


def _to_dynamo(value: Any) -> Any:
    """JSON-safe python → DynamoDB-safe python (floats become Decimal, empty strings dropped)."""
    return json.loads(json.dumps(value, default=str), parse_float=Decimal)


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value


def _serializer():
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    return TypeSerializer(), TypeDeserializer()


def request_from_item(item: dict[str, Any]) -> Request:
    doc = {k: v for k, v in _from_dynamo(item).items() if k not in ("PK", "SK", *keys.INDEX_ATTRS)}
    return validate_stored(Request, doc)


def _drop(doc: Any, loc: tuple) -> bool:
    """Remove the value at `loc` (the deepest key or list element that exists); False when nothing to drop."""
    parents = [doc]
    for part in loc[:-1]:
        cur = parents[-1]
        if isinstance(cur, dict) and part in cur:
            parents.append(cur[part])
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            parents.append(cur[part])
        else:
            break
    path = list(loc[:len(parents)])
    while path:
        holder, key = parents[len(path) - 1], path[-1]
        if isinstance(holder, dict) and key in holder:
            del holder[key]
            return True
        if isinstance(holder, list) and isinstance(key, int) and 0 <= key < len(holder):
            del holder[key]
            return True
        path.pop()
    return False


def validate_stored(model, doc: dict[str, Any]):
    """What is stored must stay readable: a value a past bug wrote (a survey score of 0, an empty string
    where a date belongs, a phone that no longer validates) is left out of the answer instead of making the
    request unreadable (400) for good. Required fields still fail. Logged by field name only (no values)."""
    from pydantic import ValidationError

    from ..observability import count, logger

    try:
        return model.model_validate(doc)  # the normal case: nothing to prune, nothing copied
    except ValidationError:
        pass
    doc = json.loads(json.dumps(doc, default=str))  # a private copy to prune
    dropped: list[str] = []
    for _ in range(20):
        try:
            result = model.model_validate(doc)
        except ValidationError as exc:
            progress = False
            for error in exc.errors():
                loc = tuple(error.get("loc") or ())
                if loc and loc[0] in model.model_fields and model.model_fields[loc[0]].is_required() \
                        and len(loc) == 1:
                    raise
                if loc and _drop(doc, loc):
                    dropped.append(".".join(str(p) for p in loc))
                    progress = True
            if not progress:
                raise
            continue
        if dropped:
            count("StoredFieldInvalid", model=model.__name__)
            logger().warning("stored data failed validation; left out", extra={"fields": sorted(set(dropped))})
        return result
    return model.model_validate(doc)


def _transient(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in _TRANSIENT


def _cancellation_reasons(exc: ClientError) -> list[str | None]:
    return [r.get("Code") for r in exc.response.get("CancellationReasons", [])]


def _busy(reasons: list[str | None]) -> TemporarilyUnavailable | None:
    """A transaction cancelled because an item was throttled or in another transaction: retry later."""
    if any(r in _TRANSIENT for r in reasons):
        return TemporarilyUnavailable("Veri deposu meşgul / storage is busy, retry")
    return None


class DynamoRequestRepository:
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name
        self._ser, self._de = _serializer()

    # -- low level -------------------------------------------------------------------------
    def _av(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: self._ser.serialize(v) for k, v in _to_dynamo(item).items() if v is not None}

    def _py(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: self._de.deserialize(v) for k, v in item.items()}

    def _header_item(self, request: Request) -> dict[str, Any]:
        doc = request.model_dump(mode="json", exclude={"timeline", "duplicate_count"}, exclude_none=True)
        item = {"PK": keys.request_pk(request.id), "SK": keys.HEADER_SK, **doc}
        item["nbh"] = (request.location.neighbourhood if request.location else None)
        item.update(keys.index_keys(doc, request.received_at, request.due_at, request.is_open))
        item.update(inbox_attrs(doc, request.received_at))  # console: assignee index, search words
        return item

    def _event_item(self, request_id: str, event: TimelineEvent) -> dict[str, Any]:
        return {"PK": keys.request_pk(request_id), "SK": keys.event_sk(event.id), **event.model_dump(mode="json")}

    def _call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(client("dynamodb"), method)(**kwargs)
        except ClientError as exc:
            if _transient(exc):
                raise TemporarilyUnavailable("Veri deposu geçici olarak yanıt vermiyor / storage is busy") from exc
            raise
        except (HTTPClientError, AwsConnectionError) as exc:  # timeouts: the caller retries (intake dedupes)
            raise TemporarilyUnavailable("Veri deposu zaman aşımına uğradı / storage timed out, retry") from exc

    # -- writes ----------------------------------------------------------------------------
    def _condition_check(self, check: Precondition) -> dict[str, Any]:
        op: dict[str, Any] = {"TableName": self.table_name, "Key": self._av({"PK": check.pk, "SK": check.sk}),
                              "ConditionExpression": "attribute_not_exists(PK)"}
        if check.passes_if is not None:
            attr, compare, value = check.passes_if
            if compare not in ("<", "="):
                raise ValueError(f"unsupported precondition comparison {compare!r}")
            op["ConditionExpression"] = f"attribute_not_exists(PK) OR #a {compare} :v"
            op["ExpressionAttributeNames"] = {"#a": attr}
            op["ExpressionAttributeValues"] = {":v": self._ser.serialize(_to_dynamo(value))}
        return {"ConditionCheck": op}

    def create(self, request: Request, *, dedupe_key: str | None,
               preconditions: tuple[Precondition, ...] = ()) -> Request:
        """One transaction: header, first events, tracking-code marker, the dedupe marker and the checks.

        Returns the stored request; on a repeated delivery (dedupe marker exists) returns the original.
        A precondition that does not hold cancels the transaction: PreconditionFailed names it.
        """
        items = [
            ({**self._header_item(request)}, "attribute_not_exists(PK)"),
            ({"PK": keys.tracking_pk(request.tracking_code), "SK": "TRACK", "request_id": request.id},
             "attribute_not_exists(PK)"),
        ]
        if dedupe_key:
            items.append(({"PK": keys.dedupe_pk(dedupe_key), "SK": "INBOUND", "request_id": request.id},
                          "attribute_not_exists(PK)"))
        items += [(self._event_item(request.id, e), "attribute_not_exists(PK)") for e in request.timeline]
        from .privacy_store import citizen_markers  # KVKK: pseudonymous citizen lookup, same transaction

        items += [(m, "attribute_not_exists(PK)") for m in citizen_markers(request)]
        try:
            self._call(
                "transact_write_items",
                TransactItems=[
                    {"Put": {"TableName": self.table_name, "Item": self._av(i), "ConditionExpression": c}}
                    for i, c in items
                ] + [self._condition_check(check) for check in preconditions],
            )
        except ClientError as exc:
            reasons = _cancellation_reasons(exc)
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                if dedupe_key and len(reasons) > 2 and reasons[2] == "ConditionalCheckFailed":
                    existing = self.get_by_dedupe_key(dedupe_key)
                    if existing is not None:
                        return existing
                failed = frozenset(check.name for check, code in zip(preconditions, reasons[len(items):])
                                   if code == "ConditionalCheckFailed")
                if failed:
                    raise PreconditionFailed(failed) from exc
                if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                    raise TrackingCodeTaken(request.tracking_code) from exc
                if (busy := _busy(reasons)) is not None:
                    raise busy from exc
            raise
        return request

    def save(
        self,
        request: Request,
        *,
        expected_version: int,
        events: list[TimelineEvent],
        extra_puts: list[dict[str, Any]] | None = None,
        linked_events: list[tuple[str, TimelineEvent]] | None = None,
        recent: RecentOpenChange | None = None,
    ) -> Request:
        """Replace the header if nobody changed it since `expected_version`; append events atomically.

        The neighbourhood × category "recent open" item is edited in the same transaction: as `recent` says,
        or, by default, a request that leaves the open statuses (resolved, closed, rejected) is dropped from it."""
        transact: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": self._av(self._header_item(request)),
                    "ConditionExpression": "#v = :v",
                    "ExpressionAttributeNames": {"#v": "version"},
                    "ExpressionAttributeValues": {":v": {"N": str(expected_version)}},
                }
            }
        ]
        transact += [
            {"Put": {"TableName": self.table_name, "Item": self._av(self._event_item(request.id, e)),
                     "ConditionExpression": "attribute_not_exists(PK)"}}
            for e in events
        ]
        transact += [
            {"Put": {"TableName": self.table_name, "Item": self._av(self._event_item(rid, e)),
                     "ConditionExpression": "attribute_not_exists(PK)"}}
            for rid, e in linked_events or []
        ]
        change = recent if recent is not None else _closing_change(request)
        if change is not None and (change.add or change.drop):
            transact.append({"Update": self._recent_update(change)})
        for extra in extra_puts or []:
            put = {"TableName": self.table_name, "Item": self._av(extra["item"])}
            if extra.get("condition"):
                put["ConditionExpression"] = extra["condition"]
            transact.append({"Put": put})
        try:
            self._call("transact_write_items", TransactItems=transact)
        except ClientError as exc:
            reasons = _cancellation_reasons(exc)
            if exc.response["Error"]["Code"] == "TransactionCanceledException" and reasons[:1] == [
                "ConditionalCheckFailed"
            ]:
                current = self.get(request.id)
                raise Conflict(
                    "Talep bu arada değişti; güncel sürümle yeniden deneyin / "
                    "the request changed meanwhile; retry with the current version",
                    details=current.model_dump(mode="json") if current else None,
                ) from exc
            if (busy := _busy(reasons)) is not None:
                raise busy from exc
            raise
        request.timeline = [*request.timeline, *events]
        return request

    def _recent_update(self, change: RecentOpenChange) -> dict[str, Any]:
        """SET/REMOVE of single attributes (r_<id>): concurrent writers of one item never overwrite each other."""
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        sets, removes = [], []
        if change.add:
            rid, at = change.add
            names["#add"] = keys.RECENT_ATTR_PREFIX + rid
            values[":add"] = {"S": keys.sortable(at)}
            sets.append("#add = :add")
        for n, rid in enumerate(dict.fromkeys(change.drop)):
            if change.add and rid == change.add[0]:
                continue
            names[f"#d{n}"] = keys.RECENT_ATTR_PREFIX + rid
            removes.append(f"#d{n}")
        expression = " ".join(part for part in (("SET " + ", ".join(sets)) if sets else "",
                                                ("REMOVE " + ", ".join(removes)) if removes else "") if part)
        op: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": self._av({"PK": keys.recent_open_pk(change.neighbourhood, change.category),
                             "SK": keys.RECENT_OPEN_SK}),
            "UpdateExpression": expression, "ExpressionAttributeNames": names}
        if values:
            op["ExpressionAttributeValues"] = values
        return op

    def recent_open(self, neighbourhood: str, category: str) -> dict[str, datetime]:
        """One strongly consistent GetItem of a bounded item (see usecases/duplicates.py for the bound)."""
        out = self._call("get_item", TableName=self.table_name, ConsistentRead=True,
                         Key=self._av({"PK": keys.recent_open_pk(neighbourhood, category),
                                       "SK": keys.RECENT_OPEN_SK}))
        found: dict[str, datetime] = {}
        for attr, value in out.get("Item", {}).items():
            if attr.startswith(keys.RECENT_ATTR_PREFIX) and "S" in value:
                found[attr[len(keys.RECENT_ATTR_PREFIX):]] = parse_datetime(value["S"])
        return found

    def get_many(self, request_ids: list[str]) -> list[Request]:
        """Headers only, one BatchGetItem (≤ 100 ids), strongly consistent."""
        if not request_ids:
            return []
        if len(request_ids) > 100:
            raise ValueError("get_many reads at most 100 requests per call")
        items = self.get_markers([(keys.request_pk(rid), keys.HEADER_SK) for rid in request_ids])
        return [request_from_item(item) for item in items.values()]

    def append_events(self, request_id: str, events: list[TimelineEvent]) -> None:
        for event in events:
            try:
                self._call(
                    "put_item",
                    TableName=self.table_name,
                    Item=self._av(self._event_item(request_id, event)),
                    ConditionExpression="attribute_not_exists(PK)",
                )
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise

    def put_marker(self, pk: str, sk: str, attrs: dict[str, Any], *, only_if_new: bool = True) -> bool:
        """Conditional single-item write used for once-only markers; False when it already existed."""
        kwargs: dict[str, Any] = {"TableName": self.table_name, "Item": self._av({"PK": pk, "SK": sk, **attrs})}
        if only_if_new:
            kwargs["ConditionExpression"] = "attribute_not_exists(PK)"
        try:
            self._call("put_item", **kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def swap_marker(self, pk: str, sk: str, attrs: dict[str, Any], *, expected: dict[str, Any] | None) -> bool:
        """Compare-and-set of a marker: written only if it is absent (`expected` None) or still holds exactly
        the `expected` attribute values. False when another writer got there first (one winner)."""
        kwargs: dict[str, Any] = {"TableName": self.table_name, "Item": self._av({"PK": pk, "SK": sk, **attrs})}
        if expected is None:
            kwargs["ConditionExpression"] = "attribute_not_exists(PK)"
        else:
            names, values, parts = {}, {}, []
            for n, (attr, value) in enumerate(sorted(expected.items())):
                names[f"#e{n}"] = attr
                if value is None:
                    parts.append(f"attribute_not_exists(#e{n})")
                else:
                    values[f":e{n}"] = self._ser.serialize(_to_dynamo(value))
                    parts.append(f"#e{n} = :e{n}")
            kwargs["ConditionExpression"] = "attribute_exists(PK) AND " + " AND ".join(parts or ["PK = PK"])
            kwargs["ExpressionAttributeNames"] = names
            if values:
                kwargs["ExpressionAttributeValues"] = values
        try:
            self._call("put_item", **kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get_marker(self, pk: str, sk: str) -> dict[str, Any] | None:
        out = self._call("get_item", TableName=self.table_name, Key=self._av({"PK": pk, "SK": sk}),
                         ConsistentRead=True)
        return _from_dynamo(self._py(out["Item"])) if "Item" in out else None

    def get_markers(self, keys_: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Several markers in one BatchGetItem (strongly consistent); missing ones are absent from the result."""
        wanted = list(dict.fromkeys(keys_))
        found: dict[tuple[str, str], dict[str, Any]] = {}
        request = {self.table_name: {"Keys": [self._av({"PK": pk, "SK": sk}) for pk, sk in wanted],
                                     "ConsistentRead": True}}
        for _ in range(5):  # unprocessed keys (throttling) are asked again, a bounded number of times
            out = self._call("batch_get_item", RequestItems=request)
            for raw in out.get("Responses", {}).get(self.table_name, []):
                item = _from_dynamo(self._py(raw))
                found[(item["PK"], item["SK"])] = item
            request = out.get("UnprocessedKeys") or {}
            if not request:
                return found
        raise TemporarilyUnavailable("Veri deposu meşgul / storage is busy, retry")

    def put_markers(self, markers: list[dict[str, Any]], *, events: list[tuple[str, TimelineEvent]] = ()) -> None:
        """Markers (overwritten) and new timeline events in one transaction: all of them or none."""
        transact = [{"Put": {"TableName": self.table_name, "Item": self._av(m)}} for m in markers]
        transact += [{"Put": {"TableName": self.table_name, "Item": self._av(self._event_item(rid, e)),
                              "ConditionExpression": "attribute_not_exists(PK)"}} for rid, e in events]
        try:
            self._call("transact_write_items", TransactItems=transact)
        except ClientError as exc:
            reasons = _cancellation_reasons(exc)
            if (busy := _busy(reasons)) is not None:
                raise busy from exc
            raise

    def claim_task(self, task_id: str, message_id: str) -> bool:
        """First message to carry a task id owns it; a later duplicate copy loses and is discarded."""
        try:
            self._call(
                "put_item",
                TableName=self.table_name,
                Item=self._av({"PK": keys.task_claim_pk(task_id), "SK": "CLAIM", "message_id": message_id}),
                ConditionExpression="attribute_not_exists(PK) OR message_id = :m",
                ExpressionAttributeValues={":m": {"S": message_id}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    # -- reads -----------------------------------------------------------------------------
    def get(self, request_id: str, *, with_timeline: bool = True) -> Request | None:
        pk = keys.request_pk(request_id)
        if not with_timeline:
            out = self._call("get_item", TableName=self.table_name,
                             Key=self._av({"PK": pk, "SK": keys.HEADER_SK}), ConsistentRead=True)
            return request_from_item(self._py(out["Item"])) if "Item" in out else None
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
            "ConsistentRead": True,
        }
        while True:
            out = self._call("query", **kwargs)
            items += [self._py(i) for i in out.get("Items", [])]
            if "LastEvaluatedKey" not in out:
                break
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
        header = next((i for i in items if i["SK"] == keys.HEADER_SK), None)
        if header is None:
            return None
        request = request_from_item(header)
        events = [validate_stored(TimelineEvent, _from_dynamo(i)) for i in items if i["SK"].startswith("EVT#")]
        request.timeline = sorted(events, key=lambda e: e.id)
        request.duplicate_count = sum(1 for e in events if e.type == "duplicate_linked")
        return request

    def get_by_tracking_code(self, code: str) -> Request | None:
        marker = self.get_marker(keys.tracking_pk(code), "TRACK")
        return self.get(marker["request_id"]) if marker else None

    def get_by_dedupe_key(self, dedupe_key: str) -> Request | None:
        marker = self.get_marker(keys.dedupe_pk(dedupe_key), "INBOUND")
        return self.get(marker["request_id"]) if marker else None

    def get_headers(self, request_ids: list[str]) -> list[Request]:
        """Request headers (no timeline) in one BatchGetItem, in the order asked; missing ones left out."""
        if not request_ids:
            return []
        wanted = [(keys.request_pk(r), keys.HEADER_SK) for r in request_ids[:100]]
        found = self.get_markers(wanted)
        return [request_from_item(found[k]) for k in wanted if k in found]

    def request_ids_by_tracking_codes(self, codes: list[str]) -> list[str]:
        """Tracking codes → request ids in one BatchGetItem (unknown codes left out)."""
        if not codes:
            return []
        wanted = [(keys.tracking_pk(c), "TRACK") for c in codes[:100]]
        found = self.get_markers(wanted)
        return [found[k]["request_id"] for k in wanted if k in found]

    def query_public(self, since: datetime, until: datetime, *, page_size: int,
                     max_reads: int) -> list[Request]:
        """Newest first from the sparse OPEN311 index (public Open311 requests only); at most `max_reads`
        Queries of `page_size` items, so one unauthenticated call has a fixed worst-case cost."""
        kwargs: dict[str, Any] = {
            "TableName": self.table_name, "IndexName": "OPEN311",
            "KeyConditionExpression": "O311PK = :pk AND O311SK BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": {":pk": {"S": keys.OPEN311_PUBLIC}, ":lo": {"S": keys.sortable(since)},
                                          ":hi": {"S": keys.sortable(until) + "~"}},
            "ScanIndexForward": False, "Limit": page_size,
        }
        items: list[Request] = []
        for _ in range(max_reads):
            out = self._call("query", **kwargs)
            items += [request_from_item(self._py(i)) for i in out.get("Items", [])]
            if "LastEvaluatedKey" not in out:
                break
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
        return items

    def query(self, q: RequestQuery) -> Page:
        """Pick the most selective index; remaining filters become a FilterExpression on that query."""
        filters: dict[str, str] = {}
        if q.department:
            index, pk = "GSI1", f"DEPT#{q.department}"
        elif q.neighbourhood:
            index, pk = "GSI2", f"NBH#{q.neighbourhood}"
        elif q.status:
            index, pk = "GSI3", f"STATUS#{q.status}"
        else:
            index, pk = "GSI5", "ALL"
        for attr, value in (
            ("status", q.status), ("channel", q.channel), ("category", q.category), ("kind", q.kind),
            ("nbh", q.neighbourhood), ("assignee", q.assignee),
        ):
            if value and not (attr == "status" and index == "GSI3") and not (attr == "nbh" and index == "GSI2"):
                filters[attr] = value
        names = {"#pk": f"{index}PK"}
        values: dict[str, Any] = {":pk": {"S": pk}}
        cond = "#pk = :pk"
        lo = keys.sortable(q.since) if q.since else None
        hi = keys.sortable(q.until) + "~" if q.until else None
        if lo or hi:
            names["#sk"] = f"{index}SK"
        if lo and hi:
            cond += " AND #sk BETWEEN :lo AND :hi"
            values.update({":lo": {"S": lo}, ":hi": {"S": hi}})
        elif lo:
            cond += " AND #sk >= :lo"
            values[":lo"] = {"S": lo}
        elif hi:
            cond += " AND #sk <= :hi"
            values[":hi"] = {"S": hi}
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": index,
            "KeyConditionExpression": cond,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
        }
        if filters:
            parts = []
            for n, (attr, value) in enumerate(filters.items()):
                names[f"#f{n}"] = attr
                values[f":f{n}"] = {"S": value}
                parts.append(f"#f{n} = :f{n}")
            kwargs["FilterExpression"] = " AND ".join(parts)
        if q.next:
            kwargs["ExclusiveStartKey"] = decode_cursor(q.next, index)
        items: list[Request] = []
        last: dict[str, Any] | None = None
        # Bounded: a filtered page may take a few reads, never an unbounded walk.
        for _ in range(20):
            kwargs["Limit"] = max(q.limit - len(items), 1) if not filters else max(q.limit * 2, 25)
            out = self._call("query", **kwargs)
            for raw in out.get("Items", []):
                if len(items) >= q.limit:
                    break
                items.append(request_from_item(self._py(raw)))
                last = raw
            if len(items) >= q.limit:
                lek = {k: last[k] for k in ("PK", "SK", f"{index}PK", f"{index}SK")} if last else None
                return Page(items=items, next=encode_cursor(index, lek) if lek else None)
            if "LastEvaluatedKey" not in out:
                return Page(items=items, next=None)
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
        return Page(items=items, next=encode_cursor(index, kwargs["ExclusiveStartKey"]))

    def inbox(self, q) -> Page:
        """The console inbox over all matching requests (adapters/dynamo_inbox.py)."""
        from .dynamo_inbox import inbox_page

        return inbox_page(self, q, request_from_item)

    def query_index(self, index: str, pk: str, *, sk_lte: str | None = None, limit: int = 100,
                    start: dict[str, Any] | None = None) -> tuple[list[Request], dict[str, Any] | None]:
        """Used by scheduled sweeps (e.g. the sparse deadline index)."""
        values: dict[str, Any] = {":pk": {"S": pk}}
        cond = f"{index}PK = :pk"
        if sk_lte:
            cond += f" AND {index}SK <= :hi"
            values[":hi"] = {"S": sk_lte}
        kwargs: dict[str, Any] = {"TableName": self.table_name, "IndexName": index,
                                  "KeyConditionExpression": cond, "ExpressionAttributeValues": values,
                                  "Limit": limit}
        if start:
            kwargs["ExclusiveStartKey"] = start
        out = self._call("query", **kwargs)
        return [request_from_item(self._py(i)) for i in out.get("Items", [])], out.get("LastEvaluatedKey")

    def query_due(self, before: datetime, *, department: str | None = None, limit: int = 100,
                  start: dict[str, Any] | None = None) -> tuple[list[Request], dict[str, Any] | None]:
        """Open requests due at or before `before`, earliest first, from the sparse GSI4 `DUE` (no scan)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table_name, "IndexName": "GSI4",
            "KeyConditionExpression": "GSI4PK = :pk AND GSI4SK <= :hi",
            "ExpressionAttributeValues": {":pk": {"S": "DUE"}, ":hi": {"S": keys.sortable(before) + "~"}},
            "ScanIndexForward": True, "Limit": limit,
        }
        if department:
            kwargs["FilterExpression"] = "#d = :d"
            kwargs["ExpressionAttributeNames"] = {"#d": "department"}
            kwargs["ExpressionAttributeValues"][":d"] = {"S": department}
        if start:
            kwargs["ExclusiveStartKey"] = start
        out = self._call("query", **kwargs)
        return [request_from_item(self._py(i)) for i in out.get("Items", [])], out.get("LastEvaluatedKey")


def _closing_change(request: Request) -> RecentOpenChange | None:
    """A request that is no longer open leaves its neighbourhood × category recent-open item."""
    if request.status in OPEN_STATUSES or request.status is Status.duplicate:
        return None  # a linked duplicate was never an entry; merged ones are dropped at the next look-up
    nbh = request.location.neighbourhood if request.location else None
    if not (nbh and request.category):
        return None
    return RecentOpenChange(neighbourhood=nbh, category=request.category, drop=(request.id,))


def encode_cursor(index: str, key: dict[str, Any]) -> str:
    raw = json.dumps({"i": index, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, index: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        if data["i"] != index or not isinstance(data["k"], dict):
            raise ValueError
        return data["k"]
    except Exception:
        raise InvalidInput(
            "'next' geçersiz; önceki yanıttaki değeri aynen kullanın / 'next' is not a cursor from this query"
        ) from None


def parse_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
