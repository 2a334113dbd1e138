"""Escalation sweep: near-due requests warn the department lead, overdue ones go up to the escalation
department (departments.json `escalation_department`: the mayor's office).

Reads only the sparse GSI4 `DUE` index (open requests by due date, earliest first) up to now + warning
horizon — never a table scan. Each step (level 1 `escalation_warning`, level 2 `escalated`) is written with
the request's version as a condition, in the same transaction as its timeline event: of two sweeps running
at once exactly one wins each step, the other gets a conflict and moves on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from ..domain import identifiers
from ..domain.departments import municipality
from ..domain.errors import Conflict
from ..domain.models import Request, Task, TimelineEvent, utcnow
from ..domain.ports import Repository, TaskQueue
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

WARNED, ESCALATED = 1, 2


@dataclass
class SweepResult:
    examined: int = 0
    warned: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    lost_races: int = 0


def _step(repo: Repository, queue: TaskQueue, request: Request, level: int, now: datetime,
          notify: Callable | None,
          result: SweepResult) -> None:
    current = repo.get(request.id, with_timeline=False)  # the index is eventually consistent: re-read
    if current is None or not current.is_open or current.escalation_level >= level or current.due_at is None:
        return
    if level == ESCALATED and current.due_at > now:
        return
    kind = "escalated" if level == ESCALATED else "escalation_warning"
    data = {"before": {"escalation_level": current.escalation_level}, "after": {"escalation_level": level},
            "department": current.department, "lead_notified": True, "due_at": current.due_at.isoformat()}
    if level == ESCALATED:
        data["escalated_to"] = municipality().escalation_department
        data["overdue_hours"] = round((now - current.due_at).total_seconds() / 3600, 1)
        # Sent before the versioned write (a crash after it loses nothing: the next sweep sends it again);
        # the FIFO dedupe id, per version, makes a racing second sweep's copy disappear.
        task_id = f"{current.id}-esc-{current.version + 1}"
        queue.send(Task(task_id=task_id, request_id=current.id, tracking_code=current.tracking_code,
                        department=municipality().escalation_department, category=current.category, due_at=current.due_at,
                        summary=f"[{both('api.task_overdue', department=current.department)}] {current.text[:240]}",
                        routed_at=now))
    else:
        data["hours_left"] = round((current.due_at - now).total_seconds() / 3600, 1)
    event = TimelineEvent(id=identifiers.new_id(), at=now, type=kind, actor="system:escalation", data=data)
    updated = current.model_copy(update={"escalation_level": level, "version": current.version + 1,
                                         "updated_at": now})
    try:
        repo.save(updated, expected_version=current.version, events=[event])
    except Conflict as exc:
        result.lost_races += 1
        moved = exc.details if isinstance(exc.details, dict) else {}  # the current request, read by save
        if level == ESCALATED and int(moved.get("escalation_level") or 0) < level:
            # Not a racing sweep that escalated it (its task has our id): staff changed or closed the request
            # meanwhile. Our task must not reach özel kalem; claiming its id makes the lease step drop it.
            repo.claim_task(task_id, f"superseded:{moved.get('version')}")
        return
    (result.escalated if level == ESCALATED else result.warned).append(current.id)
    if notify is not None:
        try:
            notify(kind, updated)
        except Exception as exc:  # the timeline event is the record; a notification hiccup must not undo it
            from ..observability import logger

            logger().warning("escalation notice not sent", extra={"request_id": updated.id,
                                                                   "error": type(exc).__name__})


def sweep(repo: Repository, queue: TaskQueue, *, now: datetime | None = None, warn_hours: float = 24,
          notify: Callable | None = None,
          max_items: int = 1000) -> SweepResult:
    now = now or utcnow()
    horizon = now + timedelta(hours=warn_hours)
    result = SweepResult()
    start = None
    while result.examined < max_items:
        items, start = repo.query_due(horizon, limit=100, start=start)
        for request in items:
            result.examined += 1
            if request.due_at is None:
                continue
            level = ESCALATED if request.due_at <= now else WARNED
            if request.escalation_level < level:
                _step(repo, queue, request, level, now, notify, result)
        if not start:
            break
    return result
