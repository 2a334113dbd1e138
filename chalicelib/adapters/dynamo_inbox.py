"""The staff inbox over the requests table: sorted by an index, filtered by DynamoDB, paged by a cursor.

Why not `DynamoRequestRepository.query`: the console must be right over ALL matching requests, not a page of
the newest. The sort picks the index (time-ordered GSIs for new/old, the sparse DUE index for due-first, the
sparse ASSIGNEE index for "assigned to me"); every other filter, the overdue cut and the text terms are a
FilterExpression on that Query. Pages end on the last row returned, so the next page starts right after it
(no skipped or repeated rows), and a page that runs out of its read budget ends early with a cursor rather
than walking a whole partition in one call. Never a Scan."""
from __future__ import annotations

import base64
import json
from typing import Any

from ..domain.errors import InvalidInput
from ..domain.inbox import InboxQuery
from ..domain.ports import Page
from .schema import requests as keys

MAX_READS = 12  # Query calls per page; more matches than that → a short page with a cursor
READ_LIMIT = 200  # items evaluated per Query call

ASSIGNEE_INDEX = "ASSIGNEE"


def _time_index(q: InboxQuery) -> tuple[str, str, str]:
    """(index, partition attribute, partition value): the most selective time-ordered index."""
    if q.assignee:
        return ASSIGNEE_INDEX, "ASGPK", keys.assignee_pk(q.assignee)
    index, pk = keys.index_for(q)
    return index, f"{index}PK", pk


def plans(q: InboxQuery) -> list[dict[str, Any]]:
    """The Queries that, one after the other, list every match in display order."""
    index, pk_attr, pk = _time_index(q)
    sk_attr = {"ASSIGNEE": "ASGSK"}.get(index, f"{index}SK")
    timed = {"index": index, "pk_attr": pk_attr, "pk": pk, "sk_attr": sk_attr, "forward": q.sort == "old",
             "covered": {"ASSIGNEE": "assignee", "GSI1": "department", "GSI2": "nbh", "GSI3": "status"}.get(index)}
    due = {"index": "GSI4", "pk_attr": "GSI4PK", "pk": keys.DUE, "sk_attr": "GSI4SK", "forward": True, "covered": None}
    if q.overdue_at is not None:
        # overdue requests are exactly the DUE index up to now
        if q.sort == "due":
            return [{**due, "sk_max": keys.sortable(q.overdue_at)}]
        return [{**timed, "overdue": keys.sortable(q.overdue_at)}]
    if q.sort == "due":
        return [due, {**timed, "forward": False, "without_due": True}]
    return [timed]


def _wanted(q: InboxQuery) -> list[tuple[str, str]]:
    """(stored attribute, value) of every field filter the query sets."""
    return [(attr, value) for attr, value in (
        ("channel", q.channel), ("department", q.department), ("status", q.status), ("kind", q.kind),
        ("nbh", q.neighbourhood), ("category", q.category), ("assignee", q.assignee)) if value]


def matches(q: InboxQuery, plan: dict[str, Any], item: dict[str, Any]) -> bool:
    """`_filter`'s FilterExpression (and the key condition's upper bound) on a stored item: the in-memory
    twin (adapters/memory.py) reads the same plans and keeps what DynamoDB would."""
    if any(item.get(attr) != value for attr, value in _wanted(q)):
        return False
    if any(" " + term not in item.get(keys.SEARCH_ATTR, "") for term in q.terms):
        return False
    if plan.get("overdue") and not item.get("GSI4SK", "\uffff") < plan["overdue"]:
        return False
    if plan.get("without_due") and "GSI4PK" in item:
        return False
    return not plan.get("sk_max") or item[plan["sk_attr"]] <= plan["sk_max"] + "~"


def _filter(q: InboxQuery, plan: dict[str, Any]) -> tuple[str | None, dict[str, str], dict[str, Any]]:
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    parts: list[str] = []
    for attr, value in _wanted(q):
        if plan["covered"] != attr:
            n = len(names)
            names[f"#f{n}"], values[f":f{n}"] = attr, {"S": value}
            parts.append(f"#f{n} = :f{n}")
    for n, term in enumerate(q.terms):
        names["#srch"] = keys.SEARCH_ATTR
        values[f":t{n}"] = {"S": " " + term}
        parts.append(f"contains(#srch, :t{n})")
    if plan.get("overdue"):
        names["#due"] = "GSI4SK"
        values[":now"] = {"S": plan["overdue"]}
        parts.append("#due < :now")
    if plan.get("without_due"):
        names["#duepk"] = "GSI4PK"
        parts.append("attribute_not_exists(#duepk)")
    return (" AND ".join(parts) or None), names, values


def encode(step: int, key: dict[str, Any] | None) -> str:
    raw = json.dumps({"s": step, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str, steps: int) -> tuple[int, dict[str, Any] | None]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        step, key = data["s"], data["k"]
        if not isinstance(step, int) or not 0 <= step < steps or not (key is None or isinstance(key, dict)):
            raise ValueError
        if key is not None and not all(isinstance(v, dict) and set(v) == {"S"} for v in key.values()):
            raise ValueError
        return step, key
    except Exception:
        raise InvalidInput("'next' geçersiz; sayfadaki bağlantıyı kullanın / 'next' is not a cursor of this "
                           "list") from None


def inbox_page(repo, q: InboxQuery, *, max_reads: int = MAX_READS) -> Page:
    """One page of the inbox: `q.limit` rows at most, in display order, and the cursor of the next page."""
    from .schema.requests import request_from_item

    steps = plans(q)
    step, start = decode(q.next, len(steps)) if q.next else (0, None)
    items: list[Any] = []
    reads = 0
    while step < len(steps):
        plan = steps[step]
        expr, names, values = _filter(q, plan)
        names["#pk"] = plan["pk_attr"]
        values[":pk"] = {"S": plan["pk"]}
        cond = "#pk = :pk"
        if plan.get("sk_max"):
            names["#sk"] = plan["sk_attr"]
            values[":skmax"] = {"S": plan["sk_max"] + "~"}
            cond += " AND #sk <= :skmax"
        kwargs: dict[str, Any] = {"TableName": repo.table_name, "IndexName": plan["index"],
                                  "KeyConditionExpression": cond, "ExpressionAttributeNames": names,
                                  "ExpressionAttributeValues": values, "ScanIndexForward": plan["forward"]}
        if expr:
            kwargs["FilterExpression"] = expr
        while True:
            if reads >= max_reads:
                return Page(items=items, next=encode(step, start))
            if start:
                kwargs["ExclusiveStartKey"] = start
            kwargs["Limit"] = READ_LIMIT if expr else max(q.limit - len(items), 1)
            out = repo._call("query", **kwargs)
            reads += 1
            found = out.get("Items", [])
            for n, raw in enumerate(found):
                items.append(request_from_item(repo._py(raw)))
                if len(items) >= q.limit:
                    # the next page starts right after this row (even mid-way through what DynamoDB read)
                    last = {k: raw[k] for k in ("PK", "SK", plan["pk_attr"], plan["sk_attr"])}
                    more = n + 1 < len(found) or "LastEvaluatedKey" in out or step + 1 < len(steps)
                    return Page(items=items, next=encode(step, last) if more else None)
            start = out.get("LastEvaluatedKey")
            if not start:
                break
        step, start = step + 1, None
    return Page(items=items, next=None)
