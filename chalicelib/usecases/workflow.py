"""The müdürlük's workflow: assign, forward, merge/unmerge, notes, timeline, my requests, overdue
(reopen on a citizen's reply is its own use case: usecases/reopen.py).

Every change is guarded by the version it was based on (409 with the current state otherwise) and writes
an append-only timeline event with actor, time, before and after in the same transaction as the change.
Department staff see and change only their own department's requests: anything else is a 404.
"""
from __future__ import annotations


from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..auth import Principal
from ..domain.departments import municipality
from ..domain.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from ..domain.models import OPEN_STATUSES, Request, Status, Task, TimelineEvent, new_event as _event, utcnow
from ..domain.ports import Clock, Page, Repository, RequestQuery, TaskQueue
from .requests import present, visible_request
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)



class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AssignBody(_Body):
    assignee: str | None = Field(max_length=200, description="Staff user id (token sub) or field team; null unassigns")
    version: int = Field(ge=1)


class ForwardBody(_Body):
    department: str | None = Field(default=None, max_length=64)
    institution: str | None = Field(default=None, min_length=1, max_length=300)
    external_ref: str | None = Field(default=None, min_length=1, max_length=200)
    note: str = Field(min_length=1, max_length=5000)
    version: int = Field(ge=1)

    @model_validator(mode="after")
    def _target(self) -> "ForwardBody":
        outside_code = municipality().outside_department  # the outside institutions' department (departments.json)
        outside = self.institution is not None or self.external_ref is not None or self.department == outside_code
        if outside:
            if not self.institution or not self.external_ref:
                raise ValueError(both("api.forward_outside_fields"))
            if self.department not in (None, outside_code):
                raise ValueError(both("api.forward_either"))
        elif not self.department:
            raise ValueError(both("api.forward_target"))
        return self


class MergeBody(_Body):
    into: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=1)


class UnmergeBody(_Body):
    version: int = Field(ge=1)


class NoteBody(_Body):
    text: str = Field(min_length=1, max_length=5000)


# -- helpers ---------------------------------------------------------------------------------------------
def _check_version(request: Request, version: int, principal: Principal) -> None:
    if version != request.version:
        raise Conflict(
            both("api.version_mismatch", version=request.version),
            details=present(request, principal),
        )


def _require_open(request: Request) -> None:
    if request.status not in OPEN_STATUSES:
        raise InvalidTransition(both("api.not_open", status=request.status.value))


def _require_manager(principal: Principal) -> None:
    """Leads manage their department's requests; admins and agents (Beyaz Masa triage) everyone's."""
    principal.require("admin", "agent", "department")
    if principal.role == "department" and not principal.lead:
        raise Forbidden(both("api.lead_only"))


def _save(repo: Repository, updated: Request, expected: int, events: list[TimelineEvent], principal: Principal,
          **kw) -> Request:
    try:
        repo.save(updated, expected_version=expected, events=events, **kw)
    except Conflict as exc:
        current = repo.get(updated.id)
        raise Conflict(exc.message, details=present(current, principal) if current else None) from None
    return repo.get(updated.id) or updated


def _last_task_id(request: Request) -> str | None:
    for event in reversed(request.timeline):
        if event.type in ("routed", "forwarded") and event.data.get("task_id"):
            return event.data["task_id"]
    return None


# -- use cases -------------------------------------------------------------------------------------------
def assign(repo: Repository, principal: Principal, request_id: str, body: AssignBody, *,
           clock: Clock = utcnow) -> Request:
    request = visible_request(repo, principal, request_id, with_timeline=False)
    principal.require("admin", "department")
    if principal.role == "department" and not principal.lead:
        raise Forbidden(both("api.lead_assigns"))
    _check_version(request, body.version, principal)
    _require_open(request)
    if not request.department:
        raise InvalidTransition(both("api.no_department_yet"))
    if body.assignee == request.assignee:
        raise InvalidTransition(both("api.already_assigned"))
    now = clock()
    updated = request.model_copy(update={"assignee": body.assignee, "version": request.version + 1,
                                         "updated_at": now})
    event = _event("assigned", principal.actor, now, {
        "before": {"assignee": request.assignee}, "after": {"assignee": body.assignee},
        "department": request.department})
    return _save(repo, updated, request.version, [event], principal)


def forward(repo: Repository, queue: TaskQueue, principal: Principal, request_id: str, body: ForwardBody, *,
            clock: Clock = utcnow) -> Request:
    """To another department (a new task in its queue; the old task is acknowledged) or outside the
    municipality (departments.json `outside_department`)."""
    request = visible_request(repo, principal, request_id)
    _require_manager(principal)
    _check_version(request, body.version, principal)
    _require_open(request)
    outside = bool(body.institution)
    target = municipality().outside_department if outside else body.department
    m = municipality()
    if target not in m.codes:
        raise InvalidInput(both("api.unknown_department_named", code=target))
    if not outside and target == request.department:
        raise InvalidTransition(both("api.already_in_department"))
    now = clock()
    new_status = Status.forwarded if outside else Status.routed
    task = Task(task_id=f"{request.id}-{request.version + 1}", request_id=request.id,
                tracking_code=request.tracking_code, department=target, category=request.category,
                neighbourhood=request.location.neighbourhood if request.location else None,
                kind=request.kind.value if request.kind else None, due_at=request.due_at,
                summary=request.text[:280], routed_at=now)
    before = {"department": request.department, "status": request.status.value, "assignee": request.assignee,
              "institution": request.institution, "external_ref": request.external_ref}
    after = {"department": target, "status": new_status.value, "assignee": None,
             "institution": body.institution if outside else None,
             "external_ref": body.external_ref if outside else None}
    updated = request.model_copy(update={
        "department": target, "status": new_status, "assignee": None,
        "institution": after["institution"], "external_ref": after["external_ref"],
        "version": request.version + 1, "updated_at": now, "timeline": []})
    event = _event("forwarded", principal.actor, now, {
        "before": before, "after": after, "note": body.note, "task_id": task.task_id,
        "acknowledged_task_id": _last_task_id(request)})
    # Save first: on a version conflict nothing was sent, so no department gets a task for a request it
    # cannot open. Only then the task (FIFO dedupe on its id); if the queue fails, the request is already in
    # the new department's inbox and the failure is on its timeline for staff to see.
    saved = _save(repo, updated, request.version, [event], principal)
    from .corrections import record_correction  # staff routing teaches the classifier (issue 18)

    record_correction(repo, request, {"department": target}, actor=principal.actor, at=now, action="forward",
                      event_id=event.id)
    try:
        queue.send(task)
    except Exception:  # noqa: BLE001 - any queue failure: the forward itself stands
        from ..observability import count, logger

        count("ForwardTaskNotQueued")
        logger().warning("forward saved but its task was not queued", extra={"request_id": request.id,
                                                                              "task_id": task.task_id})
        repo.append_events(request.id, [_event("task_not_queued", principal.actor, clock(), {
            "task_id": task.task_id, "department": target,
            "reason": both("api.reason_task_not_queued")})])
    old = _last_task_id(request)
    if old:
        # The old department's task is done: if nobody leased it yet, the lease step drops it (acknowledged).
        repo.claim_task(old, f"forwarded:{task.task_id}")
    return saved


def merge(repo: Repository, principal: Principal, request_id: str, body: MergeBody, *,
          clock: Clock = utcnow) -> Request:
    """`request_id` becomes a duplicate of `into`; its citizen is kept informed through the surviving one."""
    request = visible_request(repo, principal, request_id, with_timeline=False)
    _require_manager(principal)
    _check_version(request, body.version, principal)
    if body.into == request.id:
        raise InvalidInput(both("api.merge_self"))
    target = visible_request(repo, principal, body.into, with_timeline=False)
    _require_open(request)
    if target.status not in OPEN_STATUSES and target.status is not Status.resolved:
        raise InvalidTransition(both("api.merge_target_closed"))
    if target.merged_into:
        raise InvalidTransition(both("api.merge_target_merged", into=target.merged_into))
    now = clock()
    before = {"status": request.status.value, "merged_into": None}
    after = {"status": Status.duplicate.value, "merged_into": target.id}
    updated = request.model_copy(update={"status": Status.duplicate, "merged_into": target.id,
                                         "version": request.version + 1, "updated_at": now})
    own = _event("merged", principal.actor, now, {
        "before": before, "after": after, "into": target.id, "tracking_code": target.tracking_code},
        visibility="public")
    linked = _event("merged", principal.actor, now, {
        "from": request.id, "tracking_code": request.tracking_code, "channel": request.channel.value,
        "role": "survivor"})
    return _save(repo, updated, request.version, [own], principal, linked_events=[(target.id, linked)])


def unmerge(repo: Repository, principal: Principal, request_id: str, body: UnmergeBody, *,
            clock: Clock = utcnow) -> Request:
    request = visible_request(repo, principal, request_id)
    _require_manager(principal)
    _check_version(request, body.version, principal)
    if not request.merged_into:
        raise InvalidTransition(both("api.not_merged"))
    merged = next((e for e in reversed(request.timeline) if e.type == "merged" and e.data.get("into")), None)
    restored = Status((merged.data.get("before") or {}).get("status", "routed")) if merged else Status.routed
    if restored not in OPEN_STATUSES:
        restored = Status.routed
    now = clock()
    survivor = request.merged_into
    updated = request.model_copy(update={"status": restored, "merged_into": None,
                                         "version": request.version + 1, "updated_at": now, "timeline": []})
    own = _event("unmerged", principal.actor, now, {
        "before": {"status": request.status.value, "merged_into": survivor},
        "after": {"status": restored.value, "merged_into": None}}, visibility="public")
    linked = _event("unmerged", principal.actor, now, {"from": request.id, "role": "survivor"})
    return _save(repo, updated, request.version, [own], principal, linked_events=[(survivor, linked)])


def add_note(repo: Repository, principal: Principal, request_id: str, body: NoteBody, *, clock: Clock = utcnow
             ) -> TimelineEvent:
    """Internal note: staff only, never shown to the citizen, never changes the request (no version)."""
    request = visible_request(repo, principal, request_id, with_timeline=False)
    principal.require("admin", "agent", "department")
    event = _event("note", principal.actor, clock(), {"text": body.text})
    repo.append_events(request.id, [event])
    return event


def timeline(repo: Repository, principal: Principal, request_id: str) -> dict:
    request = visible_request(repo, principal, request_id)
    return {"request_id": request.id, "version": request.version, "status": request.status.value,
            "items": [e.model_dump(mode="json") for e in request.timeline]}


def my_requests(repo: Repository, principal: Principal, *, limit: int = 50, next_: str | None = None) -> Page:
    principal.require("admin", "agent", "department")
    q = RequestQuery(assignee=principal.sub, limit=limit, next=next_,
                     department=principal.department if principal.role == "department" else None)
    return repo.query(q)


def overdue(repo: Repository, principal: Principal, department: str, *, clock: Clock = utcnow, limit: int = 100
            ) -> list[Request]:
    if department not in municipality().codes or not principal.can_see_department(department):
        raise NotFound(both("api.unknown_department"))
    now = clock()
    out: list[Request] = []
    start = None
    for _ in range(20):  # bounded: pages of the sparse due index, earliest first
        items, start = repo.query_due(now, department=department, limit=200, start=start)
        out += items
        if len(out) >= limit or not start:
            break
    return out[:limit]
