"""Routing: decide where a new request goes and hand the department exactly one task for that decision.

Order matters for "nothing lost, nothing doubled": the task is sent first (FIFO dedupe on the task id),
then the request is marked routed under its version. A crash in between makes the stream redeliver;
the re-send carries the same task id, so SQS drops it, and the lease step drops any later straggler.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Callable

from ..domain import identifiers
from ..domain.departments import municipality
from ..domain.errors import Conflict
from ..domain.models import Classification, Location, Request, Status, Task, TimelineEvent, utcnow

DEFAULT_SLA_HOURS = 72


def task_id_for(request: Request, decision_no: int = 1) -> str:
    return f"{request.id}-{decision_no}"


def decide(request: Request, classify: Callable[..., Classification]) -> Classification:
    loc = request.location
    raw = classify(
        request.text,
        address=loc.address if loc else None,
        lat=loc.lat if loc else None,
        long=loc.long if loc else None,
    )
    result = raw if isinstance(raw, Classification) else Classification.model_validate(raw.to_dict())
    if request.category:  # preset by the channel (e.g. Open311 service_code): the citizen chose the subject
        from ..routing import category as category_of

        try:
            chosen = category_of(request.category)
        except KeyError:
            chosen = None
        if chosen is not None:
            result = result.model_copy(update={
                "category": request.category, "department": chosen.department,
                "needs_triage": result.outside_municipality,  # chosen subject, but maybe not our district
                "explanation": f"kategori vatandaş tarafından seçildi: {request.category}; {result.explanation}"})
    if request.department:  # preset by staff or a channel with a fixed owner (e.g. Şeffaf Oda -> ozel_kalem)
        preset = request.department
        if request.channel.value == "seffaf_oda" and result.department and not result.needs_triage \
                and result.department != "ozel_kalem":
            preset = result.department  # the subject clearly belongs elsewhere
        result = result.model_copy(update={"department": preset, "needs_triage": False})
    if result.department and result.department not in municipality().codes:
        result = result.model_copy(update={"needs_triage": True,
                                           "explanation": f"{result.explanation}; bilinmeyen birim"})
    return result


def _clustering():
    from .. import routing

    policy = routing.duplicate_policy()
    return routing.text_similarity, policy.window_hours, policy.similarity_threshold


def link_duplicate(request: Request, primary: Request, decision: Classification, repo, now,
                   recent=None) -> None:
    """One transaction: this request becomes a duplicate of `primary`, and primary's timeline says so
    (and the neighbourhood × category recent-open item forgets the stale entries the look-up found)."""
    updated = request.model_copy(update={
        "status": Status.duplicate, "duplicate_of": primary.id, "department": primary.department,
        "category": decision.category, "kind": decision.kind, "classification": decision,
        "due_at": primary.due_at, "version": request.version + 1, "updated_at": now,
        "location": (request.location or Location()).model_copy(
            update={"neighbourhood": primary.location.neighbourhood if primary.location else None}),
    })
    own = TimelineEvent(id=identifiers.new_id(), at=now, type="duplicate_of", visibility="public",
                        data={"into": primary.id, "tracking_code": primary.tracking_code,
                              "department": primary.department})
    linked = TimelineEvent(id=identifiers.new_id(), at=now, type="duplicate_linked",
                           data={"request_id": request.id, "tracking_code": request.tracking_code,
                                 "channel": request.channel.value})
    try:
        repo.save(updated, expected_version=request.version, events=[own], linked_events=[(primary.id, linked)],
                  recent=recent)
    except Conflict:
        return


def due_for(request: Request, sla_hours: float) -> "datetime":
    """Category SLA on the working-day calendar, the CİMER/e-Devlet legal deadline, or a given due_at: the sooner."""
    from .deadlines import compute_due, load_calendar

    try:
        due = compute_due(request.received_at, sla_hours, request.channel.value, load_calendar(),
                          given=request.due_at)
    except Exception:  # calendar data unreadable: never block routing, fall back to plain hours
        due = None
    if due is None:
        due = request.received_at + timedelta(hours=sla_hours)
        if request.due_at is not None:
            due = min(due, request.due_at)
    return due


def route_new_request(request: Request, repo, queue, classify: Callable[..., Classification],
                      clock: Callable = utcnow, clustering: Callable | None = _clustering) -> Task | None:
    """Idempotent: a request that is no longer `new` is left alone."""
    if request.status is not Status.new:
        return None
    from .duplicates import ClusterLookup, cluster_key, find_open_duplicate

    decision = decide(request, classify)
    now = clock()
    nbh = (request.location.neighbourhood if request.location else None) or decision.neighbourhood
    lookup = ClusterLookup(key=cluster_key(decision, nbh))
    if clustering is not None and request.channel.value not in ("cimer", "e_devlet", "seffaf_oda"):
        similarity, window, threshold = clustering()
        lookup = find_open_duplicate(request, decision, nbh, repo, similarity, window, threshold, now=now)
        if lookup.primary is not None:
            link_duplicate(request, lookup.primary, decision, repo, now, recent=lookup.change())
            return None
    queue_key = municipality().triage_queue if decision.needs_triage else decision.department
    sla = decision.sla_hours or DEFAULT_SLA_HOURS
    due = due_for(request, sla)
    location = request.location or Location()
    if decision.neighbourhood and not location.neighbourhood:
        location = location.model_copy(update={"neighbourhood": decision.neighbourhood})
    task = Task(
        task_id=task_id_for(request),
        request_id=request.id,
        tracking_code=request.tracking_code,
        department=queue_key,
        category=decision.category,
        neighbourhood=location.neighbourhood,
        kind=decision.kind.value if decision.kind else None,
        due_at=due,
        summary=request.text[:280],
        routed_at=now,
    )
    queue.send(task)
    updated = request.model_copy(
        update={
            "status": Status.routed,
            "department": None if decision.needs_triage else decision.department,
            "category": decision.category,
            "kind": decision.kind,
            "classification": decision,
            "location": location if (location.address or location.lat is not None or location.neighbourhood)
            else request.location,
            "due_at": due,
            "version": request.version + 1,
            "updated_at": now,
        }
    )
    event = TimelineEvent(
        id=identifiers.new_id(),
        at=now,
        type="routed",
        visibility="public",
        data={
            "department": updated.department,
            "queue": queue_key,
            "category": decision.category,
            "neighbourhood": location.neighbourhood,
            "confidence": round(decision.confidence, 3),
            "explanation": decision.explanation,
            "task_id": task.task_id,
            "due_at": due.isoformat(),
        },
    )
    # This request becomes a candidate for later duplicates of its neighbourhood × category (same transaction).
    recent = lookup.change(add=(request.id, request.received_at))
    try:
        repo.save(updated, expected_version=request.version, events=[event],
                  recent=recent)
    except Conflict:
        # Someone else (a redelivery, or staff) moved it on. A redelivery's task has the same id (dropped by
        # FIFO dedupe); if staff moved it, ours must not reach a department that cannot open the request:
        # claiming the task id now makes the lease step discard it.
        current = repo.get(request.id, with_timeline=False)
        if current is not None and current.department != updated.department and hasattr(repo, "claim_task"):
            repo.claim_task(task.task_id, f"superseded:{current.version}")
        return None
    return task
