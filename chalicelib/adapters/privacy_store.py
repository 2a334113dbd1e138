"""KVKK storage on the requests table: citizen lookup markers, the retention index, anonymising
transactions, the deletion log (TTL ≥ 3 years) and the erasure audit trail. Queries only, never scans."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from ..domain import privacy
from ..domain.models import Request, utcnow
from . import dynamo_keys as keys
from .aws import client
from .pepper import pepper

MAX_TRANSACTION = 100


def citizen_pk(key: str) -> str:
    return f"CITIZEN#{key}"


def citizen_markers(request: Request) -> list[dict[str, Any]]:
    """Items `CITIZEN#<hmac>` / `REQ#<id>`: one per identifier of the citizen; no personal data in them."""
    if request.citizen is None:
        return []
    return [{"PK": citizen_pk(k), "SK": keys.request_pk(request.id), "request_id": request.id}
            for k in privacy.citizen_keys(request.citizen, pepper(), request.channel.value)]


def _epoch(dt: datetime) -> int:
    return int(dt.timestamp())


class DynamoPrivacyStore:
    def __init__(self, repo) -> None:
        self.repo = repo
        self.table = repo.table_name

    def requests_for_citizen(self, key: str) -> list[str]:
        ids: list[str] = []
        kwargs: dict[str, Any] = {"TableName": self.table, "KeyConditionExpression": "PK = :pk",
                                  "ExpressionAttributeValues": {":pk": {"S": citizen_pk(key)}}}
        for _ in range(100):
            out = self.repo._call("query", **kwargs)
            ids += [i["request_id"]["S"] for i in out.get("Items", [])]
            if "LastEvaluatedKey" not in out:
                break
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
        return ids

    def retention_due(self, cutoff: datetime, limit: int) -> list[str]:
        out = self.repo._call(
            "query", TableName=self.table, IndexName="RETAIN",
            KeyConditionExpression="RETAINPK = :pk AND RETAINSK <= :hi",
            ExpressionAttributeValues={":pk": {"S": "RETAIN"}, ":hi": {"S": keys.sortable(cutoff) + "~"}},
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

    def partition_keys(self, pk: str, limit: int = 1000) -> list[tuple[str, str]]:
        """The (PK, SK) of every item under one partition (a Query, keys only)."""
        found: list[tuple[str, str]] = []
        kwargs: dict[str, Any] = {"TableName": self.table, "KeyConditionExpression": "PK = :pk",
                                  "ExpressionAttributeValues": {":pk": {"S": pk}}, "ProjectionExpression": "PK, SK"}
        while len(found) < limit:
            out = self.repo._call("query", **kwargs)
            found += [(i["PK"]["S"], i["SK"]["S"]) for i in out.get("Items", [])]
            if "LastEvaluatedKey" not in out:
                break
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
        return found

    def anonymise(self, request: Request, anonymised: Request, *, reason: str, actor: str,
                  related: list[tuple[str, str]] = ()) -> bool:
        """`related`: items about this request that hold personal data (outbound records, delivery
        reasons, the local outbox copy): deleted first, like the timeline scrub, so the header is last."""
        if related:
            self.delete_items(list(related))
        now = anonymised.updated_at or utcnow()
        anonymised = anonymised.model_copy(update={"anonymised_at": now})
        scrubbed = [e.model_copy(update={"data": privacy.scrub_event_data(e.data)}) for e in request.timeline
                    if privacy.scrub_event_data(e.data) != e.data]
        puts = [{"Put": {"TableName": self.table, "Item": self.repo._av(self.repo._event_item(request.id, e))}}
                for e in scrubbed]
        # Timeline free text first (idempotent overwrites), so the header commit is the last step.
        for start in range(0, max(len(puts) - (MAX_TRANSACTION - 10), 0), MAX_TRANSACTION):
            self.repo._call("transact_write_items", TransactItems=puts[start:start + MAX_TRANSACTION])
        puts = puts[max(len(puts) - (MAX_TRANSACTION - 10), 0):]
        header = self.repo._header_item(anonymised)
        log = {"PK": f"KVKKLOG#{now:%Y-%m}", "SK": f"{keys.sortable(now)}#{request.id}", "request_id": request.id,
               "reason": reason, "actor": actor, "at": now.isoformat(), "channel": request.channel.value,
               "expires_at": _epoch(now + timedelta(days=365 * privacy.DELETION_LOG_YEARS + 31))}
        deletes = [{"Delete": {"TableName": self.table, "Key": self.repo._av({"PK": citizen_pk(k),
                                                                             "SK": keys.request_pk(request.id)})}}
                   for k in privacy.citizen_keys(request.citizen, pepper(), request.channel.value)]
        transact = [
            {"Put": {"TableName": self.table, "Item": self.repo._av(header), "ConditionExpression": "#v = :v",
                     "ExpressionAttributeNames": {"#v": "version"},
                     "ExpressionAttributeValues": {":v": {"N": str(request.version)}}}},
            {"Put": {"TableName": self.table, "Item": self.repo._av(log)}},
            *deletes, *puts,
        ]
        try:
            self.repo._call("transact_write_items", TransactItems=transact)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                return False  # changed meanwhile; the next run picks it up again
            raise
        return True

    def audit(self, kind: str, actor: str, data: dict[str, Any]) -> None:
        now = utcnow()
        item = {"PK": f"AUDIT#{kind}", "SK": f"{keys.sortable(now)}#{uuid.uuid4().hex[:8]}", "actor": actor,
                "at": now.isoformat(), **data}
        self.repo._call("put_item", TableName=self.table, Item=self.repo._av(item))

    # -- reading the logs (tests, `docs/kvkk.md` queries) ----------------------------------
    def deletion_log(self, month: datetime) -> list[dict[str, Any]]:
        out = self.repo._call("query", TableName=self.table, KeyConditionExpression="PK = :pk",
                              ExpressionAttributeValues={":pk": {"S": f"KVKKLOG#{month:%Y-%m}"}})
        return [self.repo._py(i) for i in out.get("Items", [])]

    def audit_log(self, kind: str) -> list[dict[str, Any]]:
        out = self.repo._call("query", TableName=self.table, KeyConditionExpression="PK = :pk",
                              ExpressionAttributeValues={":pk": {"S": f"AUDIT#{kind}"}})
        return [self.repo._py(i) for i in out.get("Items", [])]
