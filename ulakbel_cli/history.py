"""A year of history, written cheaply: N past requests with the item shapes intake and routing leave behind.

For volume tests and the benchmark (`ulakbel dev --preload-history N`): the table must hold many requests for
"does routing cost grow with the table?" to mean anything, but pushing 20,000 through intake and the stream
takes minutes. So each request is built as routing would have left it — header (with every index key, via the
repository's own item builder), its `received` and `routed` events (and `status_changed` when resolved), the
tracking-code marker, and its entry in the neighbourhood × category recent-open item while it is open — and
written with BatchWriteItem (25 items a call). Deterministic for a given seed; texts carry no personal data.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

TEXTS = ["Sokak lambası yanmıyor", "Çöpler üç gündür toplanmadı", "Parktaki salıncak kırık",
         "Yolda büyük çukur var", "Su borusu patladı", "Başıboş köpekler okul önünde", "Kaldırım taşları kırık",
         "Otobüs durağı çok kirli", "Gece inşaat gürültüsü", "Ağaç dalları kabloya değiyor"]
CHANNELS = ["beyaz_masa", "phone", "whatsapp", "sms", "email", "facebook", "x", "mobile_app", "instagram"]


def history_requests(n: int, now: datetime, *, days: int = 365, open_share: float = 0.08, seed: int = 21,
                     recent_open: bool = True):
    """N requests received over the last `days` (newest open, older mostly resolved), as routing left them.
    `open_share=0, recent_open=False`: every one resolved (a table that grew, with the same open work)."""
    from chalicelib import understanding as routing
    from chalicelib.domain import identifiers
    from chalicelib.domain.models import Channel, Location, Request, Status, TimelineEvent

    rnd = random.Random(seed)
    categories = [c for c in routing.taxonomy() if c.department]
    places = [p["name"] for p in routing.neighbourhoods()]
    out = []
    for i in range(n):
        received = now - timedelta(seconds=rnd.uniform(60, days * 86400))
        category = rnd.choice(categories)
        nbh = rnd.choice(places)
        recent = recent_open and (now - received) < timedelta(days=5)
        status = (Status.routed if recent and rnd.random() < 0.7 else
                  Status.in_progress if recent else
                  Status.routed if rnd.random() < open_share else Status.resolved)
        routed_at = received + timedelta(seconds=rnd.uniform(1, 30))
        rid = identifiers.new_id()
        events = [TimelineEvent(id=identifiers.new_id(), at=received, type="received", visibility="public",
                                data={"channel": CHANNELS[i % len(CHANNELS)]}),
                  TimelineEvent(id=identifiers.new_id(), at=routed_at, type="routed", visibility="public",
                                data={"department": category.department, "queue": category.department,
                                      "category": category.code, "neighbourhood": nbh,
                                      "task_id": f"{rid}-1"})]
        resolved_at = None
        if status is Status.resolved:
            resolved_at = routed_at + timedelta(hours=rnd.uniform(2, 200))
            events.append(TimelineEvent(id=identifiers.new_id(), at=resolved_at, type="status_changed",
                                        visibility="public", data={"before": "routed", "after": "resolved"}))
        due_at = received + timedelta(hours=category.sla_hours or 72)
        # The sweep has long since run over a year-old table: overdue open work is escalated (level 2), work
        # due within a day is warned (level 1), as it would be; otherwise the first sweep of a benchmark would
        # write a year's escalations at once.
        escalation = 0 if status is Status.resolved else 2 if due_at <= now else 1 if due_at <= now + timedelta(
            hours=24) else 0
        out.append(Request(
            id=rid, tracking_code=identifiers.new_tracking_code(), channel=Channel(CHANNELS[i % len(CHANNELS)]),
            channel_ref=f"history-{seed}-{i}", received_at=received,
            text=f"{nbh} mahallesinde {TEXTS[i % len(TEXTS)].lower()} ({i})",
            location=Location(neighbourhood=nbh), category=category.code, department=category.department,
            status=status, due_at=due_at, escalation_level=escalation,
            version=3 if resolved_at else 2, updated_at=resolved_at or routed_at, resolved_at=resolved_at,
            timeline=events))
    return out


def history_items(requests, repo, now: datetime) -> list[dict[str, Any]]:
    """Plain-python items (PK/SK included) for `requests`, the recent-open items included."""
    from chalicelib.adapters.schema import requests as keys
    from chalicelib.understanding import duplicate_policy
    from chalicelib.usecases.duplicates import MAX_ENTRIES

    window = timedelta(hours=duplicate_policy().window_hours)
    items: list[dict[str, Any]] = []
    recent: dict[tuple[str, str], list[tuple[datetime, str]]] = {}
    for r in requests:
        items.append(keys.header_item(r))
        items += [keys.event_item(r.id, e) for e in r.timeline]
        items.append(keys.tracking_item(r.tracking_code, r.id))
        if r.is_open and r.received_at >= now - window:
            recent.setdefault((r.location.neighbourhood, r.category), []).append((r.received_at, r.id))
    for (nbh, category), entries in recent.items():
        newest = sorted(entries, reverse=True)[:MAX_ENTRIES]
        items.append(keys.recent_open_item(nbh, category, {rid: at for at, rid in newest}))
    return items


def preload_history(n: int, now: datetime | None = None, *, seed: int = 21) -> int:
    """Write N past requests into the stage's table with BatchWriteItem; returns the number of items written."""
    from chalicelib import container
    from chalicelib.adapters.aws import client
    from chalicelib.domain.models import utcnow

    now = now or utcnow()
    repo = container.repository()
    items = history_items(history_requests(n, now, seed=seed), repo, now)
    if _write_in_process(repo.table_name, [repo._av(i) for i in items]):
        return len(items)
    ddb = client("dynamodb")
    for start in range(0, len(items), 25):
        pending = {repo.table_name: [{"PutRequest": {"Item": repo._av(i)}} for i in items[start:start + 25]]}
        for _ in range(10):
            pending = ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break
    return len(items)


def _write_in_process(table_name: str, items: list[dict[str, Any]]) -> bool:
    """When the embedded AWS runs in this process (`ulakbel dev`), put the items straight into moto's table,
    without stream records: a year-old table's past left the 24-hour stream long ago, and 20,000 requests
    (≈ 95,000 items) through HTTP + stream serialisation took minutes of the shared CPU. False when moto is
    not in this process (or the table is not there): the caller writes through the API instead."""
    import os

    try:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends
    except ImportError:
        return False
    region = os.environ.get("AWS_DEFAULT_REGION") or "eu-central-1"
    try:
        table = dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(table_name)
    except Exception:
        return False
    shard, table.stream_shard = table.stream_shard, None
    try:
        for item in items:
            table.put_item(item)
    finally:
        table.stream_shard = shard
    return True
