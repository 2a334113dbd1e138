"""Department task queues over HTTP: lease, ack, release."""
from __future__ import annotations

from chalice import Blueprint

from .. import container
from ..domain.departments import municipality
from .http import endpoint, int_param, lazy, query_params

tasks = lazy("chalicelib.usecases.tasks")  # imported on first use (cold start)

bp = Blueprint(__name__)


@endpoint(bp, "/departments", auth=False)
def list_departments(principal, request):
    m = municipality()
    return {
        "municipality": {"code": m.code, "name": m.name},
        "items": [{"code": d.code, "name": d.name_tr, "name_en": d.name_en} for d in m.departments],
    }


@endpoint(bp, "/departments/{code}/tasks", query=("max", "wait"))
def lease(principal, request, code):
    params = query_params(request)
    leased = tasks.lease_tasks(
        container.task_queue(),
        container.repository(),
        principal,
        code,
        max_tasks=int_param(params, "max", 10, 1, 10),
        wait_seconds=int_param(params, "wait", 0, 0, 20),
        lease_seconds=container.settings().lease_seconds,
    )
    return {
        "department": code,
        "lease_seconds": container.settings().lease_seconds,
        "tasks": [{**t.task.model_dump(mode="json"), "lease": t.lease} for t in leased],
    }


@endpoint(bp, "/departments/{code}/tasks/{lease}/ack", ["POST"])
def ack(principal, request, code, lease):
    tasks.ack_task(container.task_queue(), principal, code, lease)
    return {"ok": True}


@endpoint(bp, "/departments/{code}/tasks/{lease}/release", ["POST"])
def release(principal, request, code, lease):
    tasks.release_task(container.task_queue(), principal, code, lease)
    return {"ok": True}
