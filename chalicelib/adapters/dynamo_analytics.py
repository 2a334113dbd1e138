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

from ..usecases.analytics import Cell, Filters
from .aws import client

MARKER_TTL_SECONDS = 3 * 24 * 3600  # longer than the 24 h stream retention


def _pk(month: str) -> str:
    return f"AGG#{month}"


def _update(table: str, cell: Cell, counters: Mapping[str, int]) -> dict[str, Any]:
    names, values, parts = {}, {}, []
    for i, (attr, value) in enumerate(sorted(counters.items())):
        names[f"#a{i}"] = attr
        values[f":v{i}"] = {"N": str(int(value))}
        parts.append(f"#a{i} :v{i}")
    return {"TableName": table, "Key": {"PK": {"S": _pk(cell.month)}, "SK": {"S": cell.sort_key()}},
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
                          "Item": {"PK": {"S": f"AGGREC#{record_id}"}, "SK": {"S": "AGG"},
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
                "ExpressionAttributeValues": {":pk": {"S": _pk(month)}, ":lo": {"S": lo}, ":hi": {"S": hi}},
            }
            while True:
                out = ddb.query(**kwargs)
                for item in out.get("Items", []):
                    counters = {k: int(v["N"]) for k, v in item.items() if "N" in v}
                    yield Cell.from_sort_key(item["SK"]["S"]), counters
                if "LastEvaluatedKey" not in out:
                    break
                kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
