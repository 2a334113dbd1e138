"""Analytics counters in the requests table under their own key prefix.

Item: PK `AGG#<YYYY-MM>`, SK `<day>#<neighbourhood>#<category>#<channel>#<department>`, numeric attributes
updated only with atomic ADD. A stream record is applied at most once: its counter updates and a marker
`AGGREC#<event id>` (conditional put) go in one transaction, so a redelivered record finds the marker and
changes nothing. Reads are Queries on the month partitions of the range — never a scan.
"""
from __future__ import annotations

import time
from typing import Any, Iterator, Mapping

from botocore.exceptions import ClientError

from ..domain.analytics import Cell, Filters
from .aws import client
from .schema.counters import APPLIED_SK, aggregate_pk, applied_pk

MARKER_TTL_SECONDS = 3 * 24 * 3600  # longer than the 24 h stream retention


def _update(table: str, cell: Cell, counters: Mapping[str, int]) -> dict[str, Any]:
    names, values, parts = {}, {}, []
    for i, (attr, value) in enumerate(sorted(counters.items())):
        names[f"#a{i}"] = attr
        values[f":v{i}"] = {"N": str(int(value))}
        parts.append(f"#a{i} :v{i}")
    return {"TableName": table, "Key": {"PK": {"S": aggregate_pk(cell.month)}, "SK": {"S": cell.sort_key()}},
            "UpdateExpression": "ADD " + ", ".join(parts), "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values}


class DynamoAnalyticsStore:
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    def apply_once(self, record_id: str, deltas: Mapping[Cell, Mapping[str, int]]) -> bool:
        """Apply one stream record's counter changes; False when that record was already applied."""
        if not deltas:
            return True
        marker = {"Put": {"TableName": self.table_name,
                          "Item": {"PK": {"S": applied_pk(record_id)}, "SK": {"S": APPLIED_SK},
                                   "expires_at": {"N": str(int(time.time()) + MARKER_TTL_SECONDS)}},
                          "ConditionExpression": "attribute_not_exists(PK)"}}
        items = [marker] + [{"Update": _update(self.table_name, cell, d)} for cell, d in deltas.items()]
        try:
            client("dynamodb").transact_write_items(TransactItems=items)
        except ClientError as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if exc.response["Error"]["Code"] == "TransactionCanceledException" and reasons[:1] == [
                    "ConditionalCheckFailed"]:
                return False
            raise
        return True

    def apply_many(self, records: list[tuple[str, Mapping[Cell, Mapping[str, int]]]]) -> set[str]:
        """Several stream records in as few transactions as fit (≤ 100 items: one marker per record + the
        merged counter cells). A record already applied (its marker exists) is left out and the rest are
        applied again; returns the ids applied now. All-or-nothing per transaction, so a crash loses nothing."""
        applied: set[str] = set()
        chunk: list[tuple[str, Mapping[Cell, Mapping[str, int]]]] = []
        cells: set[Cell] = set()
        for record_id, deltas in records:
            if not deltas:
                continue
            grown = cells | set(deltas)
            if chunk and len(chunk) + 1 + len(grown) > 100:
                applied |= self._apply_chunk(chunk)
                chunk, grown = [], set(deltas)
            chunk.append((record_id, deltas))
            cells = grown
        if chunk:
            applied |= self._apply_chunk(chunk)
        return applied

    def _apply_chunk(self, chunk: list[tuple[str, Mapping[Cell, Mapping[str, int]]]]) -> set[str]:
        for _ in range(len(chunk) + 1):  # each retry drops at least one already-applied record
            if not chunk:
                return set()
            merged: dict[Cell, dict[str, int]] = {}
            for _, deltas in chunk:
                for cell, counters in deltas.items():
                    into = merged.setdefault(cell, {})
                    for attr, value in counters.items():
                        into[attr] = into.get(attr, 0) + int(value)
            expires = str(int(time.time()) + MARKER_TTL_SECONDS)
            items = [{"Put": {"TableName": self.table_name,
                              "Item": {"PK": {"S": applied_pk(rid)}, "SK": {"S": APPLIED_SK}, "expires_at": {"N": expires}},
                              "ConditionExpression": "attribute_not_exists(PK)"}} for rid, _ in chunk]
            items += [{"Update": _update(self.table_name, cell, {k: v for k, v in c.items() if v})}
                      for cell, c in merged.items() if any(c.values())]
            try:
                client("dynamodb").transact_write_items(TransactItems=items)
                return {rid for rid, _ in chunk}
            except ClientError as exc:
                reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
                done = {chunk[i][0] for i, code in enumerate(reasons[:len(chunk)]) if code == "ConditionalCheckFailed"}
                if exc.response["Error"]["Code"] != "TransactionCanceledException" or not done:
                    raise
                chunk = [(rid, d) for rid, d in chunk if rid not in done]
        raise RuntimeError("analytics batch kept conflicting")  # unreachable: the loop shrinks the chunk

    def add(self, cell: Cell, counters: Mapping[str, int]) -> None:
        """Direct ADD without a marker (backfills and load tests)."""
        if counters:
            client("dynamodb").update_item(**_update(self.table_name, cell, counters))

    def cells(self, filters: Filters) -> Iterator[tuple[Cell, dict[str, int]]]:
        ddb = client("dynamodb")
        lo, hi = filters.since.isoformat(), filters.until.isoformat() + "~"
        for month in filters.months():
            kwargs: dict[str, Any] = {
                "TableName": self.table_name,
                "KeyConditionExpression": "PK = :pk AND SK BETWEEN :lo AND :hi",
                "ExpressionAttributeValues": {":pk": {"S": aggregate_pk(month)}, ":lo": {"S": lo}, ":hi": {"S": hi}},
            }
            while True:
                out = ddb.query(**kwargs)
                for item in out.get("Items", []):
                    counters = {k: int(v["N"]) for k, v in item.items() if "N" in v}
                    yield Cell.from_sort_key(item["SK"]["S"]), counters
                if "LastEvaluatedKey" not in out:
                    break
                kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
