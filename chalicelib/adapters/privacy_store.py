"""KVKK storage on the requests table: citizen lookup markers, the retention index, anonymising
transactions, the deletion log (TTL ≥ 3 years) and the erasure audit trail. Queries only, never scans."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..domain import privacy
from ..domain.models import Request, utcnow
from .schema import corrections, outbound, surveys
from .schema import privacy as keys
from .schema import requests as request_keys
from .schema.base import pepper, sortable
from .schema.privacy import citizen_markers

MAX_TRANSACTION = 100

__all__ = ["DynamoPrivacyStore", "citizen_markers", "pepper"]


class PrivacyItems:
    """What both KVKK stores (this one and the in-memory twin's, adapters/memory.py) read the same way: the
    citizen lookup, the keys of a message's records and of an address's markers, and the logs."""

    repo: Any

    def requests_for_citizen(self, key: str) -> list[str]:
        return [i["request_id"] for i in self.repo._query_all(keys.citizen_pk(key))]

    def partition_keys(self, pk: str, limit: int = 1000) -> list[tuple[str, str]]:
        """The (PK, SK) of every item under one partition (a Query, keys only)."""
        return [(i["PK"], i["SK"]) for i in self.repo._query_all(pk, limit=limit, keys_only=True)]

    def outbound_records(self, message_ids: list[str], platform_message_ids: list[str],
                         push_request_id: str | None = None) -> list[tuple[str, str]]:
        found = [k for m in message_ids for k in outbound.records_of_message(m)]
        found += [outbound.push_key(push_request_id)] if push_request_id else []
        found += [k for p in platform_message_ids for k in outbound.records_of_platform_id(p)]
        return list(dict.fromkeys(found))

    def correction_records(self, staff_events: list[tuple[datetime, str]]) -> list[tuple[str, str]]:
        """Item keys of the classifier corrections recorded for these staff events (time, event id)."""
        return [corrections.correction_key(at, event_id) for at, event_id in staff_events]

    def identifier_markers(self, identifiers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The pending survey, opt-outs and the daily notification-cap slots (all days, one Query per address)."""
        found: list[tuple[str, str]] = []
        for kind, value in identifiers:
            if kind == "phone":
                forms = [value, value.lstrip("+")]
                found.append(surveys.survey_key(value))
                found += [keys.opt_out_key(ch, f) for ch in ("sms", "whatsapp") for f in forms]
                for f in forms:
                    found += self.partition_keys(outbound.cap_pk(f))
            elif kind == "email":
                found.append(keys.opt_out_key("email", value))
                found += self.partition_keys(outbound.cap_pk(value))
        return found

    # -- reading the logs (tests, `docs/kvkk.md` queries) ----------------------------------
    def deletion_log(self, month: datetime) -> list[dict[str, Any]]:
        return self.repo._query_all(keys.deletion_log_pk(month))

    def audit_log(self, kind: str) -> list[dict[str, Any]]:
        return self.repo._query_all(keys.audit_pk(kind))


def anonymised_items(request: Request, anonymised: Request, *, reason: str, actor: str):
    """(the anonymised header, its deletion-log entry, the citizen markers to delete, the scrubbed timeline
    events) of one anonymisation: the same items on DynamoDB and in the twin."""
    now = anonymised.updated_at or utcnow()
    anonymised = anonymised.model_copy(update={"anonymised_at": now})
    scrubbed = [e.model_copy(update={"data": privacy.scrub_event_data(e.data)}) for e in request.timeline
                if privacy.scrub_event_data(e.data) != e.data]
    log = keys.deletion_log_item(request.id, reason=reason, actor=actor, at=now, channel=request.channel.value,
                                 keep_years=privacy.DELETION_LOG_YEARS)
    markers = [keys.citizen_marker_key(k, request.id)
               for k in privacy.citizen_keys(request.citizen, pepper(), request.channel.value)]
    return (request_keys.header_item(anonymised), log, markers,
            [request_keys.event_item(request.id, e) for e in scrubbed])


class DynamoPrivacyStore(PrivacyItems):
    def __init__(self, repo) -> None:
        self.repo = repo
        self.table = repo.table_name

    def retention_due(self, cutoff: datetime, limit: int) -> list[str]:
        out = self.repo._call(
            "query", TableName=self.table, IndexName="RETAIN",
            KeyConditionExpression="RETAINPK = :pk AND RETAINSK <= :hi",
            ExpressionAttributeValues={":pk": {"S": request_keys.RETAIN}, ":hi": {"S": sortable(cutoff) + "~"}},
            Limit=limit)
        return [i["id"]["S"] for i in out.get("Items", [])]

    def delete_items(self, item_keys: list[tuple[str, str]]) -> int:
        """Delete those of these items that exist (one BatchGetItem per 100 to find them, then 25 per
        BatchWriteItem); returns how many were deleted."""
        asked = list(dict.fromkeys(item_keys))
        wanted = []
        for start in range(0, len(asked), 100):
            found = self.repo.get_markers(asked[start:start + 100])
            wanted += [k for k in asked[start:start + 100] if k in found]
        for start in range(0, len(wanted), 25):
            request = {self.table: [{"DeleteRequest": {"Key": self.repo._av({"PK": pk, "SK": sk})}}
                                    for pk, sk in wanted[start:start + 25]]}
            for _ in range(5):
                out = self.repo._call("batch_write_item", RequestItems=request)
                request = out.get("UnprocessedItems") or {}
                if not request:
                    break
        return len(wanted)

    def anonymise(self, request: Request, anonymised: Request, *, reason: str, actor: str,
                  related: list[tuple[str, str]] = ()) -> bool:
        """`related`: items about this request that hold personal data (outbound records, delivery
        reasons, the local outbox copy): deleted first, like the timeline scrub, so the header is last."""
        if related:
            self.delete_items(list(related))
        header, log, markers, events = anonymised_items(request, anonymised, reason=reason, actor=actor)
        puts = [self.repo._put(e, None) for e in events]
        # Timeline free text first (idempotent overwrites), so the header commit is the last step.
        for start in range(0, max(len(puts) - (MAX_TRANSACTION - 10), 0), MAX_TRANSACTION):
            self.repo._call("transact_write_items", TransactItems=puts[start:start + MAX_TRANSACTION])
        puts = puts[max(len(puts) - (MAX_TRANSACTION - 10), 0):]
        deletes = [{"Delete": {"TableName": self.table, "Key": self.repo._av(dict(zip(("PK", "SK"), key)))}}
                   for key in markers]
        transact = [
            {"Put": {"TableName": self.table, "Item": self.repo._av(header),
                     "ConditionExpression": "#v = :v", "ExpressionAttributeNames": {"#v": "version"},
                     "ExpressionAttributeValues": {":v": {"N": str(request.version)}}}},
            self.repo._put(log, None), *deletes, *puts,
        ]
        try:
            self.repo._call("transact_write_items", TransactItems=transact)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                return False  # changed meanwhile; the next run picks it up again
            raise
        return True

    def audit(self, kind: str, actor: str, data: dict[str, Any]) -> None:
        self.repo._put_if(keys.audit_item(kind, actor, utcnow(), uuid.uuid4().hex[:8], data))
