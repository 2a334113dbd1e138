"""Duplicate clustering: ten citizens reporting the same overflowing bin become one task with a count.

A new request with the same category and neighbourhood and similar text, within the configured window,
is linked to the open one instead of creating another task; its citizen still hears back (the request
keeps its own tracking code and timeline).

The candidates come from one bounded item per neighbourhood × category ("recent open requests": request id →
received time), read with one GetItem and edited in the routing transaction, then at most MAX_CANDIDATES
headers in one BatchGetItem. So a routing decision reads the same number of items whether the table holds
fifty requests or fifty million — an index query (moto walks the whole table for it; DynamoDB reads every
request of the neighbourhood in the window) would not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from ..domain.models import Classification, OPEN_STATUSES, Request
from ..domain.ports import RecentOpenChange, Repository

MAX_CANDIDATES = 25  # the newest entries in the window whose text is compared
MAX_ENTRIES = 50  # the item's bound: beyond it the oldest entries are dropped (item stays a few kB)


@dataclass(frozen=True)
class ClusterLookup:
    primary: Request | None = None
    key: tuple[str, str] | None = None  # (neighbourhood, category) when clustering applies
    stale: tuple[str, ...] = ()  # entries to drop in the routing transaction: aged, closed, linked, moved, cap

    def change(self, add: tuple[str, datetime] | None = None) -> RecentOpenChange | None:
        if self.key is None or not (add or self.stale):
            return None
        return RecentOpenChange(neighbourhood=self.key[0], category=self.key[1], add=add, drop=self.stale)


def cluster_key(decision: Classification, neighbourhood: str | None) -> tuple[str, str] | None:
    if not (decision.category and neighbourhood) or decision.needs_triage:
        return None
    return neighbourhood, decision.category


def find_open_duplicate(request: Request, decision: Classification, neighbourhood: str | None, repo: Repository,
                        similarity: Callable[[str, str], float], window_hours: float, threshold: float,
                        now: datetime | None = None) -> ClusterLookup:
    key = cluster_key(decision, neighbourhood)
    if key is None:
        return ClusterLookup()
    window = timedelta(hours=window_hours)
    since = request.received_at - window
    aged_before = max(request.received_at, now or request.received_at) - window
    entries = repo.recent_open(*key)
    stale = {rid for rid, at in entries.items() if at < aged_before}
    kept = sorted(((at, rid) for rid, at in entries.items() if rid not in stale), reverse=True)
    stale |= {rid for _, rid in kept[MAX_ENTRIES:]}
    candidates = [rid for at, rid in kept[:MAX_ENTRIES]
                  if since <= at <= request.received_at and rid != request.id][:MAX_CANDIDATES]
    headers = {r.id: r for r in repo.get_many(candidates)} if candidates else {}
    best, best_score = None, threshold
    for rid in candidates:
        candidate = headers.get(rid)
        if candidate is None or candidate.status not in OPEN_STATUSES or candidate.duplicate_of \
                or candidate.category != key[1] \
                or (candidate.location.neighbourhood if candidate.location else None) != key[0]:
            stale.add(rid)  # gone, closed, linked or reclassified since it was recorded
            continue
        score = similarity(request.text, candidate.text)
        if score >= best_score:
            best, best_score = candidate, score
    return ClusterLookup(primary=best, key=key, stale=tuple(sorted(stale)))
