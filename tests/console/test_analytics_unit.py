"""Pure counter arithmetic: contributions, deltas between stream images, medians, overdue."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from chalicelib.domain.models import Request
from chalicelib.domain.analytics import Cell
from chalicelib.usecases.analytics_counters import (contribution, deltas, hour_bucket, local_day, measures,
                                                    median_hours, overdue)

T0 = datetime(2026, 3, 1, 21, 30, tzinfo=timezone.utc)  # 00:30 on 2 March in Istanbul


def req(**kw) -> Request:
    base = dict(id="R1", tracking_code="T1", channel="sms", received_at=T0, text="x",
                location={"neighbourhood": "Mevlana"}, category="park_bakim", department="park", status="routed",
                due_at=T0 + timedelta(hours=48))
    return Request(**{**base, **kw})


def test_day_is_the_local_istanbul_day():
    assert local_day(T0) == "2026-03-02"
    assert Cell.from_sort_key(Cell("2026-03-02", "A", "b", "sms", "park").sort_key()).neighbourhood == "A"


def test_routing_moves_the_request_between_cells():
    before = req(category=None, department=None, status="new", location=None)
    after = req()
    d = deltas(before, after)
    old_cell = Cell("2026-03-02", "-", "-", "sms", "-")
    new_cell = Cell("2026-03-02", "Mevlana", "park_bakim", "sms", "park")
    assert d[old_cell]["n"] == -1 and d[new_cell]["n"] == 1
    assert d[new_cell]["open"] == 1


def test_resolution_changes_only_what_changed_and_is_symmetric():
    opened = req()
    resolved = req(status="resolved", resolved_at=T0 + timedelta(hours=10), first_response_at=T0 + timedelta(hours=1),
                   satisfaction=4)
    d = deltas(opened, resolved)
    (cell, c), = d.items()
    assert "n" not in c  # the request is still counted once
    assert c["open"] == -1 and c["done"] == 1 and c["sla_ok"] == 1 and c["sat_sum"] == 4
    assert c[f"ttr_{hour_bucket(10)}"] == 1 and c[f"frt_{hour_bucket(1)}"] == 1
    back = deltas(resolved, opened)[cell]
    assert all(back[k] == -v for k, v in c.items())
    assert deltas(opened, opened) == {}


def test_median_overdue_and_sla_measures():
    counters = {}
    for h in (1, 3, 3, 30, 200):
        for k, v in contribution(req(status="resolved", resolved_at=T0 + timedelta(hours=h))).items():
            counters[k] = counters.get(k, 0) + v
    m = median_hours(counters, "ttr")
    assert 2 <= m <= 4
    late = contribution(req(due_at=T0 + timedelta(hours=1)))
    assert overdue(late, T0 + timedelta(hours=3)) == 1 and overdue(late, T0) == 0
    out = measures(counters, T0)
    assert out["count"] == 5 and out["resolved"] == 5 and out["sla_compliance"] == 0.8
    assert median_hours({}, "ttr") is None
