"""Routing: decide where a new request goes and hand the department exactly one task for that decision.

Order matters for "nothing lost, nothing doubled": the task is sent first (FIFO dedupe on the task id),
then the request is marked routed under its version. A crash in between makes the stream redeliver;
the re-send carries the same task id, so SQS drops it, and the lease step drops any later straggler.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

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
    plan = _plan(request, decide(request, classify), repo, clock(), clustering)
    if plan.lookup.primary is not None:
        link_duplicate(request, plan.lookup.primary, plan.decision, repo, plan.now, recent=plan.lookup.change())
        return None
    task, updated, event = _routed(plan)
    queue.send(task)
    return _mark_routed(plan, task, updated, event, repo)


@dataclass
class RouteOutcome:
    """One request of a batch: its task (None: left alone or linked as a duplicate), or why it failed."""

    request_id: str
    task: Task | None = None
    error: Exception | None = None


@dataclass
class _Plan:
    request: Request
    decision: Classification
    now: datetime
    lookup: Any  # duplicates.ClusterLookup


def route_new_requests(requests: list[Request], repo: Repository, queue: TaskQueue,
                       classify: Callable[..., Classification], clock: Clock = utcnow,
                       clustering: Callable | None = _clustering) -> list[RouteOutcome]:
    """A stream batch routed with the tasks sent in batches: one SendMessageBatch per department per ≤ 10 tasks
    instead of one SendMessage per task (issue 21). The same decisions as routing the requests one by one in
    batch order: a request whose neighbourhood × category already occurs earlier in the batch waits for a
    later wave, so it sees the earlier one (routed, in the recent-open item) as a duplicate candidate.

    Each request keeps its own order of steps (task sent, then marked routed under its version) and its own
    outcome: a failed send or save fails that request only (the stream redelivers it; the re-sent task keeps
    its id, so FIFO dedupe drops it)."""
    from .duplicates import cluster_key

    outcomes = {r.id: RouteOutcome(r.id) for r in requests}
    waves: list[list[tuple[Request, Classification]]] = []
    seen: dict[tuple[str, str], int] = {}
    for request in requests:
        if request.status is not Status.new:
            continue
        try:
            decision = decide(request, classify)
        except Exception as exc:
            outcomes[request.id].error = exc
            continue
        nbh = (request.location.neighbourhood if request.location else None) or decision.neighbourhood
        key = cluster_key(decision, nbh)
        wave = 0
        if key is not None:
            wave = seen.get(key, -1) + 1
            seen[key] = wave
        while len(waves) <= wave:
            waves.append([])
        waves[wave].append((request, decision))
    for wave in waves:
        ready: list[tuple[_Plan, Task, Request, TimelineEvent]] = []
        for request, decision in wave:
            try:
                plan = _plan(request, decision, repo, clock(), clustering)
                if plan.lookup.primary is not None:
                    link_duplicate(request, plan.lookup.primary, decision, repo, plan.now,
                                   recent=plan.lookup.change())
                    continue
                ready.append((plan, *_routed(plan)))
            except Exception as exc:
                outcomes[request.id].error = exc
        failed = queue.send_many([task for _, task, _, _ in ready]) if ready else {}
        for plan, task, updated, event in ready:
            outcome = outcomes[plan.request.id]
            if task.task_id in failed:
                outcome.error = failed[task.task_id]
                continue
            try:
                outcome.task = _mark_routed(plan, task, updated, event, repo)
            except Exception as exc:
                outcome.error = exc
    return [outcomes[r.id] for r in requests]


def _plan(request: Request, decision: Classification, repo: Repository, now: datetime,
          clustering: Callable | None) -> _Plan:
    """The duplicate look-up (when the channel allows clustering) for an already classified request."""
    from .duplicates import ClusterLookup, cluster_key, find_open_duplicate

    nbh = (request.location.neighbourhood if request.location else None) or decision.neighbourhood
    lookup = ClusterLookup(key=cluster_key(decision, nbh))
    if clustering is not None and request.channel.value not in ("cimer", "e_devlet", "seffaf_oda"):
        similarity, window, threshold = clustering()
        lookup = find_open_duplicate(request, decision, nbh, repo, similarity, window, threshold, now=now)
    return _Plan(request, decision, now, lookup)


def _routed(plan: _Plan) -> tuple[Task, Request, TimelineEvent]:
    """The task, the routed header and its timeline event of a request that is not a duplicate."""
    request, decision, now = plan.request, plan.decision, plan.now
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
    return task, updated, event


def _mark_routed(plan: _Plan, task: Task, updated: Request, event: TimelineEvent, repo: Repository) -> Task | None:
    request = plan.request
    # This request becomes a candidate for later duplicates of its neighbourhood × category (same transaction).
    recent = plan.lookup.change(add=(request.id, request.received_at))
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
