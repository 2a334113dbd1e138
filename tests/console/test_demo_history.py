"""The demo history goes through the real use cases and is deterministic for a seed."""
from __future__ import annotations

from datetime import datetime, timezone

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)


def test_demo_history_covers_every_channel_and_mahalle_with_a_real_lifecycle(aws):
    from chalicelib import container
    from chalicelib.understanding import neighbourhoods
    from chalicelib.usecases.console import InboxFilters, inbox
    from chalicelib.auth import Principal
    from ulakbel_cli.demo_history import CHANNEL_WEIGHTS, seed_history

    stats = seed_history(140, now=NOW, seed=3)
    print(stats)
    assert stats["requests"] == 140
    for what in ("resolved", "forwarded", "surveys", "open", "late"):
        assert stats[what] > 0, (what, stats)
    admin = Principal(sub="a", role="admin")
    rows, cursor = [], None
    while True:
        page = inbox(container.repository(), admin, InboxFilters(sort="old", next=cursor), now=NOW)
        rows += page.items
        cursor = page.next
        if not cursor:
            break
    assert len(rows) == 140 + stats["reopened"] * 0  # reopen replies add no request
    assert {r["channel"] for r in rows} == set(CHANNEL_WEIGHTS)
    assert {r["neighbourhood"] for r in rows} >= {n["name"] for n in neighbourhoods()}
    assert min(r["received_at"] for r in rows) < NOW.replace(year=2025, month=6)
    resolved = container.repository().get(next(r["id"] for r in rows if r["status"] == "resolved"))
    assert [e.type for e in resolved.timeline][:2] == ["received", "routed"]
    assert "status_changed" in [e.type for e in resolved.timeline]
    for r in rows[::7]:  # nothing in the history happens after "now"
        assert all(e.at <= NOW for e in container.repository().get(r["id"]).timeline), r["id"]
