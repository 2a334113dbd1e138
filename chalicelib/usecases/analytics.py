"""Neighbourhood analytics from incremental counters (issue 9): the staff dashboard, the public summary
(k-anonymous), exports and charts. No boto3, no chalice.

The counters themselves (what a request adds to its cell) are in analytics_counters.py; the charts in
analytics_charts.py. A dashboard read sums the cells of a date range: its cost grows with the number of
distinct cells, never with the number of requests.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Mapping

from ..domain.analytics import PUBLIC_MIN_COUNT, Cell, Filters
from ..domain.identity import local_zone
from .analytics_charts import chart_data, public_charts
from .analytics_counters import NONE, add, measures, median_hours, week_of

__all__ = ["PUBLIC_MIN_COUNT", "Cell", "Filters", "clear_public_cache", "dashboard", "dashboard_with_charts",
           "default_range", "export_tables", "public", "public_page", "public_summary", "summarise"]


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
        add(total, counters)
        add(matrix[(cell.neighbourhood, cell.category)], counters)
        add(by_nbh[cell.neighbourhood], counters)
        add(by_channel[cell.channel], counters)
        add(by_dept[cell.department], counters)
        add(by_cat[cell.category], counters)
        weeks[week_of(cell.day)] += int(counters.get("n", 0))
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
        add(by_nbh_cat[(nbh, cat)], counters)
    per_nbh: dict[str, dict[str, Any]] = {}
    for (nbh, cat), c in sorted(by_nbh_cat.items()):
        entry = per_nbh.setdefault(nbh, {"neighbourhood": nbh, "counters": {}, "categories": []})
        add(entry["counters"], c)
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
    today = today or datetime.now(local_zone()).date()
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
        return _public_from(cells, filters, now), public_charts(cells, filters)

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



def dashboard_with_charts(store, principal, filters: Filters, now: datetime | None = None) -> dict[str, Any]:
    """The dashboard and its charts from ONE read of the range's cells."""
    principal.require("admin", "agent", "viewer", "department")
    if principal.role == "department":
        filters.department = principal.department
    cells = list(store.cells(filters))
    return {**summarise(cells, filters, now or datetime.now(timezone.utc)), "charts": chart_data(cells, filters)}
