"""Neighbourhood analytics from incremental counters (issue 9). Pure logic: no boto3, no chalice.

Every request contributes a small dict of integer counters to ONE cell
(day × neighbourhood × category × channel × department). A stream record changes a request from its OLD
image to its NEW image, so its effect is `-contribution(old)` on the old cell and `+contribution(new)` on
the new cell — applied with atomic ADDs, once per record (the adapter guards with a per-record marker).

A dashboard read sums the cells of a date range: its cost grows with the number of distinct cells, never
with the number of requests. Medians come from small fixed histograms kept in the same counters.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

from ..domain.analytics import Cell, Filters
from ..domain.models import OPEN_STATUSES, Request, Status

TZ = ZoneInfo("Europe/Istanbul")
NONE = "-"  # a dimension the request does not (yet) have
DONE_STATUSES = frozenset({Status.resolved, Status.closed})
# Upper edges in hours of the duration histograms (last bucket is open-ended).
HOUR_EDGES: tuple[float, ...] = (1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 336, 720, 2160)
PUBLIC_MIN_COUNT = 5


def local_day(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(TZ).date().isoformat()


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


# -- reading ------------------------------------------------------------------------------------------

def _add(into: dict[str, int], counters: Mapping[str, Any]) -> None:
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


def _week(day: str) -> str:
    y, w, _ = date.fromisoformat(day).isocalendar()
    return f"{y}-W{w:02d}"


def summarise(cells: Iterable[tuple[Cell, Mapping[str, Any]]], filters: Filters, now: datetime) -> dict[str, Any]:
    """Everything the dashboard shows, from the cells of the range."""
    total: dict[str, int] = {}
    matrix: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    by_nbh: dict[str, dict[str, int]] = defaultdict(dict)
    by_channel: dict[str, dict[str, int]] = defaultdict(dict)
    by_dept: dict[str, dict[str, int]] = defaultdict(dict)
    by_cat: dict[str, dict[str, int]] = defaultdict(dict)
    weeks: dict[str, int] = defaultdict(int)
    months: dict[str, int] = defaultdict(int)
    for cell, counters in cells:
        if not filters.accepts(cell):
            continue
        _add(total, counters)
        _add(matrix[(cell.neighbourhood, cell.category)], counters)
        _add(by_nbh[cell.neighbourhood], counters)
        _add(by_channel[cell.channel], counters)
        _add(by_dept[cell.department], counters)
        _add(by_cat[cell.category], counters)
        weeks[_week(cell.day)] += int(counters.get("n", 0))
        months[cell.day[:7]] += int(counters.get("n", 0))
    top: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (nbh, cat), c in matrix.items():
        if c.get("n", 0) > 0:
            top[nbh].append({"category": cat, "count": c["n"]})
    sat = {str(s): total.get(f"sat_{s}", 0) for s in range(1, 6)}
    return {
        "filters": {"since": filters.since.isoformat(), "until": filters.until.isoformat(),
                    "channel": filters.channel, "department": filters.department},
        "totals": measures(total, now),
        "matrix": sorted(
            ({"neighbourhood": n, "category": k, **{m: measures(c, now)[m] for m in ("count", "open", "overdue")}}
             for (n, k), c in matrix.items() if c.get("n", 0) > 0),
            key=lambda r: (r["neighbourhood"], -r["count"], r["category"])),
        "neighbourhoods": sorted(
            ({"neighbourhood": n, **measures(c, now),
              "top_categories": sorted(top[n], key=lambda r: (-r["count"], r["category"]))[:5]}
             for n, c in by_nbh.items() if c.get("n", 0) > 0),
            key=lambda r: (-r["count"], r["neighbourhood"])),
        "categories": sorted(({"category": k, **measures(c, now)} for k, c in by_cat.items() if c.get("n", 0) > 0),
                             key=lambda r: (-r["count"], r["category"])),
        "channels": sorted(({"channel": k, "count": c.get("n", 0)} for k, c in by_channel.items()
                            if c.get("n", 0) > 0), key=lambda r: (-r["count"], r["channel"])),
        "departments": sorted(({"department": k, **measures(c, now)} for k, c in by_dept.items()
                               if c.get("n", 0) > 0), key=lambda r: (-r["count"], r["department"])),
        "trends": {"week": [{"period": k, "count": v} for k, v in sorted(weeks.items())],
                   "month": [{"period": k, "count": v} for k, v in sorted(months.items())]},
        "satisfaction": {"n": total.get("sat_n", 0), "distribution": sat},
    }


def public_summary(cells: Iterable[tuple[Cell, Mapping[str, Any]]], filters: Filters, now: datetime,
                   known_neighbourhoods: set[str], known_categories: dict[str, str]) -> dict[str, Any]:
    """Aggregates only; anything under PUBLIC_MIN_COUNT is suppressed; only gazetteer neighbourhoods and
    taxonomy categories appear (their names come from our data files, never from citizens' text)."""
    by_nbh_cat: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for cell, counters in cells:
        if not filters.accepts(cell):
            continue
        nbh = cell.neighbourhood if cell.neighbourhood in known_neighbourhoods else "Diğer"
        cat = cell.category if cell.category in known_categories else NONE
        _add(by_nbh_cat[(nbh, cat)], counters)
    per_nbh: dict[str, dict[str, Any]] = {}
    for (nbh, cat), c in sorted(by_nbh_cat.items()):
        entry = per_nbh.setdefault(nbh, {"neighbourhood": nbh, "counters": {}, "categories": []})
        _add(entry["counters"], c)
        n = c.get("n", 0)
        if n >= PUBLIC_MIN_COUNT and cat != NONE:
            entry["categories"].append({"category": cat, "label": known_categories[cat], "count": n,
                                        "resolved": c.get("done", 0) if c.get("done", 0) >= PUBLIC_MIN_COUNT
                                        else None})
    rows = []
    for nbh, entry in per_nbh.items():
        c = entry["counters"]
        n = c.get("n", 0)
        if n < PUBLIC_MIN_COUNT:
            rows.append({"neighbourhood": nbh, "count": None, "suppressed": True, "categories": [],
                         "resolved_ratio": None, "median_resolution_hours": None, "recent_resolved": []})
            continue
        done = c.get("done", 0)
        rows.append({
            "neighbourhood": nbh, "count": n, "suppressed": False,
            "categories": sorted(entry["categories"], key=lambda r: (-r["count"], r["category"])),
            "resolved_ratio": round(done / n, 3),
            "median_resolution_hours": median_hours(c, "ttr") if c.get("ttr_n", 0) >= PUBLIC_MIN_COUNT else None,
            "recent_resolved": [r["label"] for r in sorted(entry["categories"],
                                                           key=lambda r: -(r["resolved"] or 0))
                                if r["resolved"]][:3],
        })
    rows.sort(key=lambda r: (r["suppressed"], -(r["count"] or 0), r["neighbourhood"]))
    return {"since": filters.since.isoformat(), "until": filters.until.isoformat(),
            "min_count": PUBLIC_MIN_COUNT, "neighbourhoods": rows}


def default_range(today: date | None = None, days: int = 90) -> tuple[date, date]:
    today = today or datetime.now(TZ).date()
    return today - timedelta(days=days - 1), today


# -- use cases ------------------------------------------------------------------------------------------
def dashboard(store, principal, filters: Filters, now: datetime | None = None) -> dict[str, Any]:
    """Staff dashboard; a department member only ever sees their own department's counters."""
    principal.require("admin", "agent", "viewer", "department")
    if principal.role == "department":
        filters.department = principal.department
    return summarise(store.cells(filters), filters, now or datetime.now(timezone.utc))


_public_cache: dict[str, tuple[float, dict[str, Any]]] = {}
PUBLIC_CACHE_SECONDS = 300


def _cached(key: str, use_cache: bool, build):
    """The public pages' in-process cache (HTTP caches hold them too): `build()` at most every few minutes."""
    import time

    hit = _public_cache.get(key)
    if use_cache and hit and time.monotonic() - hit[0] < PUBLIC_CACHE_SECONDS:
        return hit[1]
    value = build()
    _public_cache[key] = (time.monotonic(), value)
    return value


def public(store, *, days: int = 90, now: datetime | None = None, use_cache: bool = True) -> dict[str, Any]:
    """The transparency page's data: cached in-process (and by HTTP caches) so it is cheap to serve."""
    def build():
        filters = Filters(*default_range(days=days))
        return _public_from(store.cells(filters), filters, now)

    return _cached(f"public:{days}", use_cache, build)


def _public_from(cells, filters: Filters, now: datetime | None) -> dict[str, Any]:
    from ..understanding import neighbourhoods, taxonomy

    known_nbh = {n["name"] for n in neighbourhoods()}
    known_cat = {c.code: c.name_tr for c in taxonomy()}
    return public_summary(cells, filters, now or datetime.now(timezone.utc), known_nbh, known_cat)


def public_page(store, *, days: int = 90, now: datetime | None = None,
                use_cache: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """/seffaf: the public summary and its charts from ONE read of the range's cells (cached like `public`)."""
    def build():
        filters = Filters(*default_range(days=days))
        cells = list(store.cells(filters))
        return _public_from(cells, filters, now), _public_charts_from(cells, filters)

    return _cached(f"public-page:{days}", use_cache, build)


def clear_public_cache() -> None:
    _public_cache.clear()


EXPORT_COLUMNS = ("neighbourhood", "category", "count", "open", "overdue")
DEPT_COLUMNS = ("department", "count", "open", "overdue", "resolved", "median_first_response_hours",
                "median_resolution_hours", "sla_compliance", "satisfaction_avg")


def export_tables(summary: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """Sheets for CSV/XLSX: the neighbourhood × category matrix and the department measures."""
    return {
        "mahalle_kategori": [list(EXPORT_COLUMNS)] + [[r[c] for c in EXPORT_COLUMNS] for r in summary["matrix"]],
        "mudurlukler": [list(DEPT_COLUMNS)] + [[r[c] for c in DEPT_COLUMNS] for r in summary["departments"]],
        "kanallar": [["channel", "count"]] + [[r["channel"], r["count"]] for r in summary["channels"]],
    }


# -- charts (issue 19): weekly series and the channel × department matrix, from the same cells ----------
def weeks_of(filters: Filters) -> list[str]:
    """Every ISO week the range touches, in order (weeks without requests still get a point)."""
    out, day = [], filters.since
    while day <= filters.until:
        week = _week(day.isoformat())
        if not out or out[-1] != week:
            out.append(week)
        day += timedelta(days=1)
    return out


def chart_data(cells: Iterable[tuple[Cell, Mapping[str, Any]]], filters: Filters) -> dict[str, Any]:
    """Weekly volume per channel and per department, SLA compliance per week (by week received), and the
    channel × department matrix."""
    weeks = weeks_of(filters)
    per_channel: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_dept: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sla: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    matrix: dict[tuple[str, str], int] = defaultdict(int)
    for cell, counters in cells:
        if not filters.accepts(cell):
            continue
        n, week = int(counters.get("n", 0)), _week(cell.day)
        per_channel[cell.channel][week] += n
        per_dept[cell.department][week] += n
        sla[week][0] += int(counters.get("sla_ok", 0))
        sla[week][1] += int(counters.get("sla_n", 0))
        matrix[(cell.channel, cell.department)] += n

    def series(table: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
        rows = [{"key": k, "total": sum(v.values()), "values": [v.get(w, 0) for w in weeks]}
                for k, v in table.items() if sum(v.values()) > 0]
        return sorted(rows, key=lambda r: (-r["total"], r["key"]))

    channels = sorted({c for c, _ in matrix}, key=lambda c: -sum(v for (ch, _), v in matrix.items() if ch == c))
    departments = sorted({d for _, d in matrix}, key=lambda d: -sum(v for (_, dd), v in matrix.items() if dd == d))
    return {
        "weeks": weeks,
        "channel_weekly": series(per_channel),
        "department_weekly": series(per_dept),
        "sla_weekly": [{"week": w, "ok": sla[w][0], "n": sla[w][1],
                        "ratio": round(sla[w][0] / sla[w][1], 3) if sla[w][1] else None} for w in weeks],
        "matrix": {"channels": channels, "departments": departments,
                   "cells": {f"{c}|{d}": v for (c, d), v in matrix.items() if v > 0},
                   "top": max(matrix.values(), default=0)},
    }


def dashboard_with_charts(store, principal, filters: Filters, now: datetime | None = None) -> dict[str, Any]:
    """The dashboard and its charts from ONE read of the range's cells."""
    principal.require("admin", "agent", "viewer", "department")
    if principal.role == "department":
        filters.department = principal.department
    cells = list(store.cells(filters))
    return {**summarise(cells, filters, now or datetime.now(timezone.utc)), "charts": chart_data(cells, filters)}


def _public_charts_from(cells, filters: Filters) -> dict[str, Any]:
    """/seffaf charts with k-anonymity: a weekly or per-channel count under PUBLIC_MIN_COUNT is hidden (None),
    and so is a resolved share computed from fewer requests than that."""
    weeks = weeks_of(filters)
    total: dict[str, int] = defaultdict(int)
    done: dict[str, int] = defaultdict(int)
    channels: dict[str, int] = defaultdict(int)
    for cell, counters in cells:
        if not filters.accepts(cell):
            continue
        week = _week(cell.day)
        total[week] += int(counters.get("n", 0))
        done[week] += int(counters.get("done", 0))
        channels[cell.channel] += int(counters.get("n", 0))

    def shown(v: int) -> int | None:
        return v if v >= PUBLIC_MIN_COUNT else None

    return {
        "weeks": weeks, "min_count": PUBLIC_MIN_COUNT,
        "weekly": [{"week": w, "count": shown(total[w]),
                    "resolved_ratio": round(done[w] / total[w], 3) if total[w] >= PUBLIC_MIN_COUNT else None}
                   for w in weeks],
        "channels": sorted(({"channel": c, "count": shown(v)} for c, v in channels.items() if v > 0),
                           key=lambda r: (-(r["count"] or 0), r["channel"])),
    }
