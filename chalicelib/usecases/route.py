"""Routing: decide where a new request goes and hand the department exactly one task for that decision.

Order matters for "nothing lost, nothing doubled": the task is sent first (FIFO dedupe on the task id),
then the request is marked routed under its version. A crash in between makes the stream redeliver;
the re-send carries the same task id, so SQS drops it, and the lease step drops any later straggler.
"""
from __future__ import annotations

from typing import Callable

from ..domain import identifiers
from ..domain.errors import Conflict
from ..domain.models import Classification, Location, Request, Status, Task, TimelineEvent, utcnow
from ..domain.ports import Clock, Repository, TaskQueue
from ..routing.decision import DEFAULT_SLA_HOURS, decide, due_for, queue_for, task_id_for  # noqa: F401  (re-exported)

def _clustering():
    from .. import understanding as routing

    policy = routing.duplicate_policy()
    return routing.text_similarity, policy.window_hours, policy.similarity_threshold


def link_duplicate(request: Request, primary: Request, decision: Classification, repo: Repository, now,
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


def route_new_request(request: Request, repo: Repository, queue: TaskQueue, classify: Callable[...,
                      Classification],
                      clock: Clock = utcnow, clustering: Callable | None = _clustering) -> Task | None:
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
    queue_key = queue_for(decision)
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
            "model_version": decision.model_version,
            # The best guess stays visible when the request goes to triage (issue 18).
            **({"triage": True, "guess": {"department": decision.department, "category": decision.category,
                                          "kind": decision.kind.value if decision.kind else None}}
               if decision.needs_triage else {}),
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
        if current is not None and current.department != updated.department:
            repo.claim_task(task.task_id, f"superseded:{current.version}")
        return None
    return task
