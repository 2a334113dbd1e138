"""Departments lease their tasks from their own queue; acks and releases are theirs alone."""
from __future__ import annotations

from ..auth import Principal
from ..domain.departments import municipality
from ..domain.errors import Forbidden, InvalidInput, NotFound
from ..domain.ports import LeasedTask, Repository, TaskQueue
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)


def check_queue_access(principal: Principal, queue_key: str) -> None:
    m = municipality()
    if queue_key not in m.queue_keys:
        raise NotFound(both("api.unknown_department_named", code=queue_key))
    if principal.role == "admin":
        return
    if queue_key == m.triage_queue and principal.role == "agent":
        return
    if principal.role == "department" and principal.department == queue_key:
        return
    raise Forbidden(both("api.tasks_forbidden"))


def lease_tasks(queue: TaskQueue, repo: Repository, principal: Principal, queue_key: str, max_tasks: int,
                wait_seconds: int,
                lease_seconds: int) -> list[LeasedTask]:
    check_queue_access(principal, queue_key)
    if not 1 <= max_tasks <= 10:
        raise InvalidInput(both("api.tasks_max"))
    if not 0 <= wait_seconds <= 20:
        raise InvalidInput(both("api.tasks_wait"))
    leased = queue.lease(queue_key, max_tasks, wait_seconds, lease_seconds)
    out = []
    for item in leased:
        # A copy of a task that another message already carried is a leftover of a crash: drop it.
        if repo.claim_task(item.task.task_id, item.message_id):
            out.append(item)
        else:
            queue.ack(queue_key, item.lease)
    return out


def ack_task(queue: TaskQueue, principal: Principal, queue_key: str, lease: str) -> None:
    check_queue_access(principal, queue_key)
    queue.ack(queue_key, lease)


def release_task(queue: TaskQueue, principal: Principal, queue_key: str, lease: str) -> None:
    check_queue_access(principal, queue_key)
    queue.release(queue_key, lease)
