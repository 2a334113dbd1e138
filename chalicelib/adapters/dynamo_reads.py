"""Reading requests: one item, one partition, or an index page — always Queries, never a Scan."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.models import Request
from ..domain.ports import Page, RequestQuery
from .dynamo_table import DynamoTable
from .lookups import RequestLookups
from .schema import requests as keys
from .schema.base import sortable
from .schema.requests import decode_cursor, encode_cursor, request_from_item, request_from_partition


class DynamoRequestReads(RequestLookups, DynamoTable):
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
        return request_from_partition(items)

    def query_public(self, since: datetime, until: datetime, *, page_size: int,
                     max_reads: int) -> list[Request]:
        """Newest first from the sparse OPEN311 index (public Open311 requests only); at most `max_reads`
        Queries of `page_size` items, so one unauthenticated call has a fixed worst-case cost."""
        kwargs: dict[str, Any] = {
            "TableName": self.table_name, "IndexName": "OPEN311",
            "KeyConditionExpression": "O311PK = :pk AND O311SK BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": {":pk": {"S": keys.OPEN311_PUBLIC}, ":lo": {"S": sortable(since)},
                                          ":hi": {"S": sortable(until) + "~"}},
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
        index, pk = keys.index_for(q)
        for attr, value in (
            ("status", q.status), ("channel", q.channel), ("category", q.category), ("kind", q.kind),
            ("nbh", q.neighbourhood), ("assignee", q.assignee),
        ):
            if value and not (attr == "status" and index == "GSI3") and not (attr == "nbh" and index == "GSI2"):
                filters[attr] = value
        names = {"#pk": f"{index}PK"}
        values: dict[str, Any] = {":pk": {"S": pk}}
        cond = "#pk = :pk"
        lo = sortable(q.since) if q.since else None
        hi = sortable(q.until) + "~" if q.until else None
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

        return inbox_page(self, q)

    def query_due(self, before: datetime, *, department: str | None = None, limit: int = 100,
                  start: dict[str, Any] | None = None) -> tuple[list[Request], dict[str, Any] | None]:
        """Open requests due at or before `before`, earliest first, from the sparse GSI4 `DUE` (no scan)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table_name, "IndexName": "GSI4",
            "KeyConditionExpression": "GSI4PK = :pk AND GSI4SK <= :hi",
            "ExpressionAttributeValues": {":pk": {"S": keys.DUE}, ":hi": {"S": sortable(before) + "~"}},
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


