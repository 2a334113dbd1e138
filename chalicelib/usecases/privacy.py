"""KVKK duties: anonymise after the retention period, erase one citizen on request, log every access.

Anonymisation keeps what statistics need (channel, category, department, neighbourhood, kind, status,
timestamps, SLA facts, satisfaction) and removes the citizen, the free text, the exact address and
coordinates, attachments, meeting attendees and free text in the timeline. Each anonymisation writes a
deletion-log entry (kept ≥ 3 years) in the same transaction.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from ..auth import Principal
from ..domain import privacy
from ..domain.models import Request, utcnow
from ..domain.ports import MediaStore, PrivacyStore, Repository

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


def outbound_records(store: PrivacyStore, request: Request) -> list[tuple[str, str]]:
    """Items about this request's outbound messages that hold personal data or link to it: the send state
    (with the delivery reason), the notification marker, the platform-id link and the local outbox copy
    (which holds the exact request sent, phone number included)."""
    message_ids: list[str] = []
    platform_ids: list[str] = []
    for e in request.timeline:
        data = e.data or {}
        if e.type == "outbound" and data.get("message_id"):
            message_ids.append(data["message_id"])
        if e.type == "outbound_status" and data.get("platform_message_id"):
            platform_ids.append(data["platform_message_id"])
    pushed = any(e.type == "push_subscribed" for e in request.timeline)  # issue 22: Web Push subscriptions
    return store.outbound_records(message_ids, platform_ids, request.id if pushed else None)


# Timeline events whose staff change was stored as a classifier correction (usecases/corrections.py).
CORRECTED_EVENTS = ("forwarded", "reclassified")


def correction_records(store: PrivacyStore, request: Request) -> list[tuple[str, str]]:
    """The classifier corrections learnt from this request (scrubbed text, but keyed to it): erased with it."""
    return store.correction_records([(e.at, e.id) for e in request.timeline if e.type in CORRECTED_EVENTS])


def _erase_media(request: Request, media: MediaStore | None) -> int:
    if media is None:
        return 0
    urls = [a.url for a in request.attachments if a.url]
    urls += [str(e.data.get("media_url")) for e in request.timeline if (e.data or {}).get("media_url")]
    return sum(media.erase(u) for u in urls)


def anonymised_copy(request: Request, now: datetime) -> Request:
    loc = request.location
    location = loc.model_copy(update={"address": None, "lat": None, "long": None}) if loc else None
    meeting = request.meeting.model_copy(update={"attendees": [], "topic": None}) if request.meeting else None
    return request.model_copy(update={
        "citizen": None, "text": privacy.ANONYMISED_TEXT, "location": location, "attachments": [],
        "meeting": meeting, "channel_ref": None, "version": request.version + 1, "updated_at": now,
    })


def anonymise_request(repo: Repository, store: PrivacyStore, request_id: str, *, reason: str, actor: str,
                      clock: Callable[[], datetime] = utcnow, media: MediaStore | None = None,
                      counts: dict[str, int] | None = None,
                      seen: list[tuple[str, str]] | None = None) -> bool:
    """Photos (every version) and outbound records go first; the header commit is the last step, so a
    crash midway leaves the request findable and the next run finishes it."""
    request = repo.get(request_id)
    if request is None or getattr(request, "anonymised_at", None) is not None:
        return False
    if seen is not None and request.citizen is not None:  # the addresses markers are keyed by
        c = request.citizen
        seen += [(k, v) for k, v in (("phone", c.phone), ("email", c.email)) if v]
        if request.channel.value == "whatsapp" and c.platform_id and c.platform_id.lstrip("+").isdigit():
            seen.append(("phone", "+" + c.platform_id.lstrip("+")))
    photos = _erase_media(request, media)
    related = outbound_records(store, request) + correction_records(store, request)
    done = store.anonymise(request, anonymised_copy(request, clock()), reason=reason, actor=actor, related=related)
    if counts is not None and done:
        counts["media_deleted"] = counts.get("media_deleted", 0) + photos
        counts["records_deleted"] = counts.get("records_deleted", 0) + len(related)
    return done


def run_retention(repo: Repository, store: PrivacyStore, days: int, *, clock: Callable[[], datetime] = utcnow,
                  batch: int = 100, media: MediaStore | None = None) -> dict[str, int]:
    """Scheduled: anonymise requests closed longer than `days` ago (found on a sparse index, never a scan)."""
    cutoff = privacy.retention_cutoff(clock(), days)
    done = skipped = 0
    for _ in range(1000):  # bounded per run; the next run continues
        due = store.retention_due(cutoff, batch)
        if not due:
            break
        progressed = 0
        for rid in due:
            if anonymise_request(repo, store, rid, reason="retention", actor="system:kvkk_retention", clock=clock,
                                 media=media):
                done += 1
                progressed += 1
            else:
                skipped += 1
        if not progressed:
            break
    return {"anonymised": done, "skipped": skipped}


def erase_citizen(repo: Repository, store: PrivacyStore, principal: Principal, identifiers: list[tuple[str,
                  str]],
                  pepper: str, *, clock: Callable[[], datetime] = utcnow,
                  media: MediaStore | None = None) -> dict[str, Any]:
    """KVKK art. 7/11: anonymise every request of one citizen (found by phone, e-mail, TC kimlik no or a
    social account), delete their photos (all versions), outbound records and the markers keyed by their
    phone/e-mail (survey, opt-out, notification cap); aggregates stay; the erasure is audited."""
    principal.require("admin")
    ids: set[str] = set()
    for kind, value in identifiers:
        ids |= set(store.requests_for_citizen(privacy.citizen_key(kind, value, pepper)))
    counts: dict[str, int] = {}
    seen: list[tuple[str, str]] = []  # phone/e-mail on the requests found (erased by TC: their markers too)
    erased = [rid for rid in sorted(ids)
              if anonymise_request(repo, store, rid, reason="erasure", actor=principal.actor, clock=clock,
                                   media=media, counts=counts, seen=seen)]
    markers = store.delete_items(store.identifier_markers(list(dict.fromkeys([*identifiers, *seen]))))
    result = {"matched": len(ids), "anonymised": len(erased), "request_ids": erased,
              "media_deleted": counts.get("media_deleted", 0),
              "records_deleted": counts.get("records_deleted", 0) + markers}
    store.audit("citizen_erasure", principal.actor, {
        "identifier_kinds": sorted({k for k, _ in identifiers}), **result})
    return result
