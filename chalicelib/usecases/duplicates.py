"""Duplicate clustering: ten citizens reporting the same overflowing bin become one task with a count.

A new request with the same category and neighbourhood and similar text, within the configured window,
is linked to the open one instead of creating another task; its citizen still hears back (the request
keeps its own tracking code and timeline).
"""
from __future__ import annotations

from datetime import timedelta
from typing import Callable

from ..domain.models import Classification, OPEN_STATUSES, Request
from ..domain.ports import RequestQuery


def find_open_duplicate(request: Request, decision: Classification, neighbourhood: str | None, repo,
                        similarity: Callable[[str, str], float], window_hours: float, threshold: float
                        ) -> Request | None:
    if not (decision.category and neighbourhood) or decision.needs_triage:
        return None
    since = request.received_at - timedelta(hours=window_hours)
    page = repo.query(RequestQuery(neighbourhood=neighbourhood, category=decision.category, since=since,
                                   until=request.received_at, limit=25))
    best, best_score = None, threshold
    for candidate in page.items:
        if candidate.id == request.id or candidate.status not in OPEN_STATUSES or candidate.duplicate_of:
            continue
        score = similarity(request.text, candidate.text)
        if score >= best_score:
            best, best_score = candidate, score
    return best
