"""The analytics charts (issue 19): weekly series per channel and department, SLA per week, the channel ×
department matrix, and the public page's k-anonymous weekly charts, all from the same cells as the dashboard."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any, Iterable, Mapping

from ..domain.analytics import PUBLIC_MIN_COUNT, Cell, Filters
from .analytics_counters import week_of


def weeks_of(filters: Filters) -> list[str]:
    """Every ISO week the range touches, in order (weeks without requests still get a point)."""
    out, day = [], filters.since
    while day <= filters.until:
        week = week_of(day.isoformat())
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
        n, week = int(counters.get("n", 0)), week_of(cell.day)
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


def public_charts(cells, filters: Filters) -> dict[str, Any]:
    """/seffaf charts with k-anonymity: a weekly or per-channel count under PUBLIC_MIN_COUNT is hidden (None),
    and so is a resolved share computed from fewer requests than that."""
    weeks = weeks_of(filters)
    total: dict[str, int] = defaultdict(int)
    done: dict[str, int] = defaultdict(int)
    channels: dict[str, int] = defaultdict(int)
    for cell, counters in cells:
        if not filters.accepts(cell):
            continue
        week = week_of(cell.day)
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
