"""The analytics counters (issue 9): what one request adds to its cell, what a stream record changes, and
how a sum of cells reads (medians from small fixed histograms, overdue from due-hour keys). Pure logic.

Every request contributes a small dict of integer counters to ONE cell
(day × neighbourhood × category × channel × department). A stream record changes a request from its OLD
image to its NEW image, so its effect is `-contribution(old)` on the old cell and `+contribution(new)` on
the new cell — applied with atomic ADDs, once per record (the adapter guards with a per-record marker).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timezone
from typing import Any, Mapping
from ..domain.analytics import Cell
from ..domain.identity import local_zone
from ..domain.models import OPEN_STATUSES, Request, Status

NONE = "-"  # a dimension the request does not (yet) have
DONE_STATUSES = frozenset({Status.resolved, Status.closed})
# Upper edges in hours of the duration histograms (last bucket is open-ended).
HOUR_EDGES: tuple[float, ...] = (1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 336, 720, 2160)


def local_day(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(local_zone()).date().isoformat()  # the municipality's day (municipality.yaml)


def _clean(value: str | None) -> str:
    return (value or NONE).replace("#", " ").strip() or NONE


def cell_of(request: Request) -> Cell:
    nbh = request.location.neighbourhood if request.location else None
    return Cell(local_day(request.received_at), _clean(nbh), _clean(request.category),
                _clean(request.channel.value), _clean(request.department))


def hour_bucket(hours: float) -> int:
    for i, edge in enumerate(HOUR_EDGES):
        if hours <= edge:
            return i
    return len(HOUR_EDGES)


def _hours(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / 3600.0, 0.0)


def due_key(due: datetime) -> str:
    return "due_" + due.astimezone(timezone.utc).strftime("%Y%m%d%H")


def contribution(request: Request | None) -> dict[str, int]:
    """What one request adds to its cell. Names are DynamoDB attribute names (ASCII, no '#')."""
    if request is None:
        return {}
    c: dict[str, int] = {"n": 1}
    if request.status in OPEN_STATUSES:
        c["open"] = 1
        if request.due_at is not None:
            c[due_key(request.due_at)] = 1
    if request.first_response_at is not None:
        c["frt_n"] = 1
        c[f"frt_{hour_bucket(_hours(request.received_at, request.first_response_at))}"] = 1
    if request.status in DONE_STATUSES:
        c["done"] = 1
        if request.resolved_at is not None:
            c["ttr_n"] = 1
            c[f"ttr_{hour_bucket(_hours(request.received_at, request.resolved_at))}"] = 1
            if request.due_at is not None:
                c["sla_n"] = 1
                if request.resolved_at <= request.due_at:
                    c["sla_ok"] = 1
    if request.satisfaction is not None:
        c["sat_n"] = 1
        c["sat_sum"] = request.satisfaction
        c[f"sat_{request.satisfaction}"] = 1
    return c


def deltas(old: Request | None, new: Request | None) -> dict[Cell, dict[str, int]]:
    """Per-cell counter changes for one stream record (zero changes dropped)."""
    out: dict[Cell, dict[str, int]] = defaultdict(dict)
    if old is not None:
        for k, v in contribution(old).items():
            out[cell_of(old)][k] = out[cell_of(old)].get(k, 0) - v
    if new is not None:
        cell = cell_of(new)
        for k, v in contribution(new).items():
            out[cell][k] = out[cell].get(k, 0) + v
    return {cell: {k: v for k, v in d.items() if v} for cell, d in out.items() if any(d.values())}



def add(into: dict[str, int], counters: Mapping[str, Any]) -> None:
    for k, v in counters.items():
        into[k] = into.get(k, 0) + int(v)


def median_hours(counters: Mapping[str, int], prefix: str) -> float | None:
    total = counters.get(f"{prefix}_n", 0)
    if total <= 0:
        return None
    half, seen = total / 2.0, 0
    for i in range(len(HOUR_EDGES) + 1):
        in_bucket = counters.get(f"{prefix}_{i}", 0)
        if in_bucket and seen + in_bucket >= half:
            lo = HOUR_EDGES[i - 1] if i > 0 else 0.0
            hi = HOUR_EDGES[i] if i < len(HOUR_EDGES) else HOUR_EDGES[-1] * 2
            return round(lo + (hi - lo) * ((half - seen) / in_bucket), 1)
        seen += in_bucket
    return None


def overdue(counters: Mapping[str, int], now: datetime) -> int:
    cutoff = due_key(now)
    return sum(v for k, v in counters.items() if k.startswith("due_") and k < cutoff and v > 0)


def measures(counters: Mapping[str, int], now: datetime) -> dict[str, Any]:
    sla_n, sat_n = counters.get("sla_n", 0), counters.get("sat_n", 0)
    return {
        "count": counters.get("n", 0),
        "open": counters.get("open", 0),
        "overdue": overdue(counters, now),
        "resolved": counters.get("done", 0),
        "median_first_response_hours": median_hours(counters, "frt"),
        "median_resolution_hours": median_hours(counters, "ttr"),
        "sla_compliance": round(counters.get("sla_ok", 0) / sla_n, 3) if sla_n else None,
        "satisfaction_avg": round(counters.get("sat_sum", 0) / sat_n, 2) if sat_n else None,
        "satisfaction_n": sat_n,
    }


def week_of(day: str) -> str:
    y, w, _ = date.fromisoformat(day).isocalendar()
    return f"{y}-W{w:02d}"
