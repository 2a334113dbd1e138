"""Requests in one DynamoDB table: transactions for every multi-item write, queries (never scans) for reads.

Every key and item shape comes from `schema`; this module decides only how they are written together."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..domain.errors import Conflict, PreconditionFailed, TrackingCodeTaken
from ..domain.models import Request, TimelineEvent
from ..domain.ports import Precondition, RecentOpenChange
from .markers import Markers
from .dynamo_reads import DynamoRequestReads
from .dynamo_table import busy, cancellation_reasons
from .schema import requests as keys
from .schema import surveys as survey_keys
from .schema import tasks as task_keys
from .schema.base import sortable
from .schema.replies import reply_feed_items
from .schema.requests import closing_change

ONCE = "attribute_not_exists(PK)"


class DynamoRequestRepository(DynamoRequestReads, Markers):
    def _put(self, item: dict[str, Any], condition: str | None = ONCE) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self.table_name, "Item": self._av(item)}
        if condition:
            put["ConditionExpression"] = condition
        return {"Put": put}

    def _condition_check(self, check: Precondition) -> dict[str, Any]:
        op: dict[str, Any] = {"TableName": self.table_name, "Key": self._av({"PK": check.pk, "SK": check.sk}),
                              "ConditionExpression": ONCE}
        if check.passes_if is not None:
            attr, compare, value = check.passes_if
            if compare not in ("<", "="):
                raise ValueError(f"unsupported precondition comparison {compare!r}")
            op["ConditionExpression"] = f"attribute_not_exists(PK) OR #a {compare} :v"
            op["ExpressionAttributeNames"] = {"#a": attr}
            op["ExpressionAttributeValues"] = {":v": self._value(value)}
        return {"ConditionCheck": op}

    def create(self, request: Request, *, dedupe_key: str | None,
               preconditions: tuple[Precondition, ...] = ()) -> Request:
        """One transaction: header, tracking-code marker, the dedupe marker, first events, the citizen
        lookup markers and the checks. Returns the stored request; on a repeated delivery (dedupe marker
        exists) returns the original. A precondition that does not hold cancels it: PreconditionFailed."""
        items = keys.creation_items(request, dedupe_key)
        try:
            self._call("transact_write_items", TransactItems=[self._put(i) for i in items]
                       + [self._condition_check(check) for check in preconditions])
        except ClientError as exc:
            reasons = cancellation_reasons(exc)
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
                if (error := busy(reasons)) is not None:
                    raise error from exc
            raise
        return request

    def save(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
             linked_events: list[tuple[str, TimelineEvent]] | None = None,
             recent: RecentOpenChange | None = None) -> Request:
        """Replace the header if nobody changed it since `expected_version`; append events atomically.

        The neighbourhood × category "recent open" item is edited in the same transaction: as `recent` says,
        or, by default, a request that leaves the open statuses (resolved, closed, rejected) is dropped from it."""
        return self._save(request, expected_version, events, linked_events or [], recent, [])

    def mark_resolved(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
                      citizen: tuple[str, str] | None) -> Request:
        """Save a resolution and, in the same transaction, remember it as the citizen's last resolved request
        on an unthreaded channel (`citizen` = (channel, identifier)): a crash cannot lose "a reply reopens it"."""
        also = []
        if citizen is not None and request.resolved_at is not None:
            also.append(self._put(keys.last_resolved_item(*citizen, request.id, request.resolved_at), None))
        return self._save(request, expected_version, events, [], None, also)

    def reopen(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
               dedupe_key: str | None) -> Request:
        """Save a reopened request and take the citizen's message's dedupe key in the same transaction, so a
        redelivery of that message changes nothing."""
        also = [self._put(keys.dedupe_item(dedupe_key, request.id))] if dedupe_key else []
        return self._save(request, expected_version, events, [], None, also)

    def record_survey_answer(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
                             score: int, at: datetime) -> Request:
        """The satisfaction on the request and its department's answer item, in one transaction."""
        also = []
        if request.department:
            also.append(self._put(survey_keys.answer_item(request.department, request.id, score, at), None))
        return self._save(request, expected_version, events, [], None, also)

    def _save(self, request: Request, expected_version: int, events: list[TimelineEvent],
              linked_events: list[tuple[str, TimelineEvent]], recent: RecentOpenChange | None,
              also: list[dict[str, Any]]) -> Request:
        """`also`: further items of the same transaction (Put operations), after the header and events."""
        transact: list[dict[str, Any]] = [{"Put": {
            "TableName": self.table_name, "Item": self._av(keys.header_item(request)),
            "ConditionExpression": "#v = :v", "ExpressionAttributeNames": {"#v": "version"},
            "ExpressionAttributeValues": {":v": {"N": str(expected_version)}}}}]
        transact += [self._put(keys.event_item(request.id, e)) for e in events]
        transact += [self._put(keys.event_item(rid, e)) for rid, e in linked_events]
        transact += [self._put(i, None) for i in reply_feed_items(request, events)]  # the live inbox's feed
        change = recent if recent is not None else closing_change(request)
        if change is not None and (change.add or change.drop):
            transact.append({"Update": self._recent_update(change)})
        transact += also
        try:
            self._call("transact_write_items", TransactItems=transact)
        except ClientError as exc:
            reasons = cancellation_reasons(exc)
            if exc.response["Error"]["Code"] == "TransactionCanceledException" and reasons[:1] == [
                "ConditionalCheckFailed"
            ]:
                current = self.get(request.id)
                raise Conflict(
                    "Talep bu arada değişti; güncel sürümle yeniden deneyin / "
                    "the request changed meanwhile; retry with the current version",
                    details=current.model_dump(mode="json") if current else None,
                ) from exc
            if (error := busy(reasons)) is not None:
                raise error from exc
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
            values[":add"] = {"S": sortable(at)}
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

    def append_events(self, request_id: str, events: list[TimelineEvent]) -> None:
        for event in events:  # each once: a repeated event id is already there
            self._put_if(keys.event_item(request_id, event), ONCE)

    def put_markers(self, markers: list[dict[str, Any]], *, events: list[tuple[str, TimelineEvent]] = ()) -> None:
        """Markers (overwritten) and new timeline events in one transaction: all of them or none."""
        self._transact([self._put(m, None) for m in markers]
                       + [self._put(keys.event_item(rid, e)) for rid, e in events])

    def claim_task(self, task_id: str, message_id: str) -> bool:
        """First message to carry a task id owns it; a later duplicate copy loses and is discarded."""
        return self._put_if(task_keys.claim_item(task_id, message_id), "attribute_not_exists(PK) OR message_id = :m",
                            ExpressionAttributeValues={":m": {"S": message_id}})

    def reassign_task(self, task_id: str, message_id: str) -> None:
        """A replayed task's new queue message owns the task id (`ulakbel dlq replay`)."""
        self._put_if(task_keys.claim_item(task_id, message_id))


