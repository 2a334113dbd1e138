"""A dashboard read costs the same number of DynamoDB reads at 1,000 and at 50,000 requests.

The counters for the requests are produced by the same pure function the stream consumer uses
(`analytics_counters.deltas(None, request)`), summed per cell and written directly — the cheap way to stand for
50,000 stream records (`bench.analytics.seed_counters`, shared with `python -m bench.analytics`). Then every
analytics endpoint is read and its DynamoDB calls are counted.
"""
from __future__ import annotations

import pytest

from bench.analytics import CATS, NBH
from bench.analytics import seed_counters as _write  # one seeding, shared with the benchmark
from tests.conftest import auth
from tests.support.clock import AWKWARD_INSTANTS, frozen_at


class ReadCounter:
    READS = {"Query", "Scan", "GetItem", "BatchGetItem", "TransactGetItems"}

    def __init__(self):
        self.calls: list[str] = []

    def __call__(self, model, **_):
        if model.name in self.READS:
            self.calls.append(model.name)


def _read_all(client) -> dict[str, list[str]]:
    from chalicelib.adapters.aws import client as aws_client
    from chalicelib.usecases import analytics

    analytics.clear_public_cache()
    events = aws_client("dynamodb").meta.events
    used: dict[str, list[str]] = {}
    for path in ("/analytics/summary", "/analytics/matrix", "/analytics/export?format=csv",
                 "/analytics/summary?channel=whatsapp&department=park", "/analytics/public", "/seffaf"):
        analytics.clear_public_cache()  # measure the uncached cost; the cache only makes it cheaper
        counter = ReadCounter()
        events.register("before-call.dynamodb", counter)
        try:
            r = client.http.get(path, headers=auth("viewer"))
        finally:
            events.unregister("before-call.dynamodb", counter)
        assert r.status_code == 200, (path, r.body[:300])
        used[path] = counter.calls
    return used


def _months_in_default_range() -> int:
    from chalicelib.usecases.analytics import Filters, default_range

    since, until = default_range()
    return len(Filters(since=since, until=until).months())


# The default range is 90 days: 3 month partitions on some days, 4 on others. The property is the same on both.
@pytest.mark.parametrize("instant", ["three-months", "four-months"])
def test_analytics_reads_do_not_grow_with_the_number_of_requests(client, aws, instant):
    with frozen_at(AWKWARD_INSTANTS[instant]) as now:
        months = _months_in_default_range()
        assert months == {"three-months": 3, "four-months": 4}[instant]  # the instants mean what they say
        today = now.replace(minute=0, second=0, microsecond=0)
        _write(0, 1_000, today)
        small = _read_all(client)
        totals_small = client.http.get("/analytics/summary", headers=auth("viewer")).json_body["totals"]
        assert totals_small["count"] == 1_000

        _write(1_000, 50_000, today)
        large = _read_all(client)
        data = client.http.get("/analytics/summary", headers=auth("viewer")).json_body
        assert data["totals"]["count"] == 50_000
        assert len(data["matrix"]) == len(NBH) * len(CATS)

    # Reads do not grow with the number of requests; they grow only with the months the range spans:
    # one Query per month partition (this data fits in one page per partition).
    assert small == large, (small, large)
    for path, calls in large.items():
        assert "Scan" not in calls, path
        assert calls == ["Query"] * months, (path, calls, months)


@pytest.mark.parametrize("n", [3])
def test_medians_and_sla_come_from_the_histograms(client, aws, n):
    from chalicelib.usecases.analytics_counters import median_hours

    assert median_hours({"ttr_n": 3, "ttr_4": 3}, "ttr") is not None
    with frozen_at(AWKWARD_INSTANTS["new-year-in-istanbul"]) as now:
        _write(0, 400, now.replace(minute=0, second=0, microsecond=0))
        data = client.http.get("/analytics/summary", headers=auth("admin")).json_body
    t = data["totals"]
    assert t["resolved"] == 200 and 0 <= t["sla_compliance"] <= 1
    assert 1 <= t["satisfaction_avg"] <= 5 and t["satisfaction_n"] == 200
    assert t["median_first_response_hours"] is not None and t["median_resolution_hours"] is not None
    assert t["open"] == 200 and t["overdue"] > 0  # the oldest open requests are past their due time
