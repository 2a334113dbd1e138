"""Staff corrections of the classifier (issue 18): one partition per month, sorted by time and event id, so
`ulakbel train --from-corrections` reads a period with one Query per month (no Scan) and a month of staff
actions stays a small partition. The text is scrubbed before it gets here; no personal data is in the keys."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator

from .base import sortable


def correction_pk(month: str) -> str:
    """`CORRECTION#<yyyy-mm>`."""
    return f"CORRECTION#{month}"


def correction_sk(at: datetime, event_id: str) -> str:
    return f"{sortable(at)}#{event_id}"


def correction_key(at: datetime, event_id: str) -> tuple[str, str]:
    """The item key of the correction recorded for one staff event (a forward or a re-classification): the
    event's own time and id, so a request's corrections are found from its timeline, without a Query (KVKK
    erasure deletes them with the request's other records)."""
    month = (at.astimezone(timezone.utc) if at.tzinfo else at).strftime("%Y-%m")  # the month of sortable(at)
    return correction_pk(month), correction_sk(at, event_id)


def correction_item(correction: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The stored item: the keys, the type and the correction's own fields (None values left out)."""
    pk, sk = correction_key(at, correction["event_id"])
    return {"PK": pk, "SK": sk, "type": "correction", **{k: v for k, v in correction.items() if v is not None}}


def months(since: datetime, until: datetime) -> Iterator[str]:
    """The month partitions that [since, until] touches, oldest first."""
    y, m = since.year, since.month
    while (y, m) <= (until.year, until.month):
        yield f"{y:04d}-{m:02d}"
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def in_range(sk: str, since: datetime, until: datetime) -> bool:
    return sortable(since) <= sk <= sortable(until) + "~"


def correction_from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("PK", "SK", "type")}
