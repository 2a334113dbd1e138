"""KVKK duties: anonymise after the retention period, erase one citizen on request, log every access.

Anonymisation keeps what statistics need (channel, category, department, neighbourhood, kind, status,
timestamps, SLA facts, satisfaction) and removes the citizen, the free text, the exact address and
coordinates, attachments, meeting attendees and free text in the timeline. Each anonymisation writes a
deletion-log entry (kept ≥ 3 years) in the same transaction.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Protocol

from ..auth import Principal
from ..domain import privacy
from ..domain.models import Request, utcnow

ACCESS_SINKS: list[Callable[[str, str, list[str], datetime], None]] = []


def _log_access(actor: str, role: str, request_ids: list[str], at: datetime) -> None:
    from ..observability import logger

    logger().info("pii_access", extra={"actor": actor, "role": role, "request_ids": request_ids,
                                       "at": at.isoformat(), "audit": "kvkk_access"})


def record_access(principal: Principal, request_ids: list[str]) -> None:
    """Who read unmasked personal data of which requests, and when. Called by every unmasked view."""
    if not request_ids:
        return
    now = utcnow()
    for sink in ACCESS_SINKS or [lambda a, r, ids, at: _log_access(a, r, ids, at)]:
        sink(principal.actor, principal.role, request_ids, now)


class PrivacyStore(Protocol):
    def requests_for_citizen(self, key: str) -> list[str]: ...

    def retention_due(self, cutoff: datetime, limit: int) -> list[str]: ...

    def anonymise(self, request: Request, anonymised: Request, *, reason: str, actor: str) -> bool: ...

    def audit(self, kind: str, actor: str, data: dict[str, Any]) -> None: ...


def anonymised_copy(request: Request, now: datetime) -> Request:
    loc = request.location
    location = loc.model_copy(update={"address": None, "lat": None, "long": None}) if loc else None
    meeting = request.meeting.model_copy(update={"attendees": [], "topic": None}) if request.meeting else None
    return request.model_copy(update={
        "citizen": None, "text": privacy.ANONYMISED_TEXT, "location": location, "attachments": [],
        "meeting": meeting, "channel_ref": None, "version": request.version + 1, "updated_at": now,
    })


def anonymise_request(repo, store: PrivacyStore, request_id: str, *, reason: str, actor: str,
                      clock: Callable[[], datetime] = utcnow) -> bool:
    request = repo.get(request_id)
    if request is None or getattr(request, "anonymised_at", None) is not None:
        return False
    return store.anonymise(request, anonymised_copy(request, clock()), reason=reason, actor=actor)


def run_retention(repo, store: PrivacyStore, days: int, *, clock: Callable[[], datetime] = utcnow,
                  batch: int = 100) -> dict[str, int]:
    """Scheduled: anonymise requests closed longer than `days` ago (found on a sparse index, never a scan)."""
    cutoff = privacy.retention_cutoff(clock(), days)
    done = skipped = 0
    for _ in range(1000):  # bounded per run; the next run continues
        due = store.retention_due(cutoff, batch)
        if not due:
            break
        progressed = 0
        for rid in due:
            if anonymise_request(repo, store, rid, reason="retention", actor="system:kvkk_retention", clock=clock):
                done += 1
                progressed += 1
            else:
                skipped += 1
        if not progressed:
            break
    return {"anonymised": done, "skipped": skipped}


def erase_citizen(repo, store: PrivacyStore, principal: Principal, identifiers: list[tuple[str, str]],
                  pepper: str, *, clock: Callable[[], datetime] = utcnow) -> dict[str, Any]:
    """KVKK art. 7/11: anonymise every request of one citizen; aggregates stay; the erasure is audited."""
    principal.require("admin")
    ids: set[str] = set()
    for kind, value in identifiers:
        ids |= set(store.requests_for_citizen(privacy.citizen_key(kind, value, pepper)))
    erased = [rid for rid in sorted(ids)
              if anonymise_request(repo, store, rid, reason="erasure", actor=principal.actor, clock=clock)]
    store.audit("citizen_erasure", principal.actor, {
        "identifier_kinds": sorted({k for k, _ in identifiers}), "matched": len(ids), "anonymised": len(erased),
        "request_ids": erased})
    return {"matched": len(ids), "anonymised": len(erased), "request_ids": erased}
