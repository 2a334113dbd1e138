"""The demo history goes through the real use cases and is deterministic for a seed."""
from __future__ import annotations

from datetime import datetime, timezone

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)


def test_demo_history_covers_every_channel_and_mahalle_with_a_real_lifecycle(aws):
    from chalicelib import container
    from chalicelib.understanding import neighbourhoods
    from tests.console.helpers import every_inbox_row
    from ulakbel_cli.demo_history import CHANNEL_WEIGHTS, seed_history

    stats = seed_history(140, now=NOW, seed=3)
    print(stats)
    assert stats["requests"] == 140
    for what in ("resolved", "forwarded", "surveys", "open", "late"):
        assert stats[what] > 0, (what, stats)
    rows = every_inbox_row(NOW)
    assert len(rows) == 140 + stats["reopened"] * 0  # reopen replies add no request
    assert {r["channel"] for r in rows} == set(CHANNEL_WEIGHTS)
    assert {r["neighbourhood"] for r in rows} >= {n["name"] for n in neighbourhoods()}
    assert min(r["received_at"] for r in rows) < NOW.replace(year=2025, month=6)
    resolved = container.repository().get(next(r["id"] for r in rows if r["status"] == "resolved"))
    assert [e.type for e in resolved.timeline][:2] == ["received", "routed"]
    assert "status_changed" in [e.type for e in resolved.timeline]
    for r in rows[::7]:  # nothing in the history happens after "now"
        assert all(e.at <= NOW for e in container.repository().get(r["id"]).timeline), r["id"]


def test_demo_history_analytics_are_complete_when_the_seed_returns(aws):
    """`make run` shows full dashboards at once: the history's analytics cells are written with it (by the
    consumer's own delta arithmetic), not minutes later by the pump. Totals match the requests themselves."""
    from datetime import timedelta

    from chalicelib import container
    from chalicelib.auth import Principal
    from chalicelib.domain.analytics import Filters
    from chalicelib.domain.models import Status
    from chalicelib.domain.models import OPEN_STATUSES
    from chalicelib.usecases.analytics import dashboard
    from chalicelib.usecases.analytics_counters import DONE_STATUSES
    from chalicelib.usecases.console import InboxFilters, inbox
    from ulakbel_cli.demo_history import seed_history

    stats = seed_history(120, now=NOW, seed=5)
    assert stats["cells"] > 0
    admin = Principal(sub="a", role="admin")
    rows, cursor = [], None
    while True:
        page = inbox(container.repository(), admin, InboxFilters(sort="old", next=cursor), now=NOW)
        rows, cursor = rows + page.items, page.next
        if not cursor:
            break
    year = Filters(since=(NOW - timedelta(days=370)).date(), until=(NOW + timedelta(days=1)).date())
    summary = dashboard(container.analytics_store(), admin, year, now=NOW)
    totals = summary["totals"]
    assert totals["count"] == stats["requests"] == len(rows) == 120
    assert totals["open"] == sum(1 for r in rows if Status(r["status"]) in OPEN_STATUSES)
    assert totals["resolved"] == sum(1 for r in rows if Status(r["status"]) in DONE_STATUSES) > 0
    assert totals["satisfaction_n"] == stats["surveys"] > 0
    assert sum(c["count"] for c in summary["channels"]) == 120
    assert len(summary["neighbourhoods"]) > 10


def test_the_bulk_load_writes_exactly_the_adapters_items(aws, monkeypatch):
    """The seed's own DynamoDB-JSON encoding (its speed-up) equals the adapter's `_av` on every replayed item,
    floats (classification confidence) and nested maps and lists included."""
    from chalicelib import container
    from ulakbel_cli import demo_store
    from ulakbel_cli.demo_history import seed_history

    seen: dict = {}
    end_state = demo_store.ReplayStore.end_state

    def capture(self):
        seen["items"] = end_state(self)
        return seen["items"]

    monkeypatch.setattr(demo_store.ReplayStore, "end_state", capture)
    loaded: list = []
    seed_history(60, now=NOW, seed=7, bulk_load=lambda table, items: loaded.extend(items))
    real = container.repository()
    items = seen["items"]
    wire = [demo_store.wire_item(real, i) for i in items]
    assert len(items) > 300 and wire == [real._av(i) for i in items]
    assert wire == loaded[:len(wire)]  # what the embedded AWS receives
    assert any("." in v["N"] for w in wire for v in _leaves(w) if "N" in v)  # a float went through


def _leaves(wire):
    for v in wire.values():
        if "M" in v:
            yield from _leaves(v["M"])
        elif "L" in v:
            for x in v["L"]:
                yield from _leaves({"_": x})
        else:
            yield v
