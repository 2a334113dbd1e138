"""Department workflow over HTTP (assign, forward, merge, unmerge, notes, timeline, my requests, overdue)
and the scheduled escalation sweep. Thin: parse, call one use case, present."""
from __future__ import annotations

from chalice import Blueprint, Rate

from .. import container
from .http import lazy, endpoint, int_param, json_response, parse_json, query_params

requests_uc = lazy("chalicelib.usecases.requests")  # imported on first use (cold start)
workflow = lazy("chalicelib.usecases.workflow")
reclassification = lazy("chalicelib.usecases.reclassify")

bp = Blueprint(__name__)


def _changed(principal, request, request_id, body_model, change, *ports):
    """Parse the body, make one workflow change with the repository (and `ports`), present the result."""
    body = parse_json(request, body_model)
    return requests_uc.present(change(container.repository(), *ports, principal, request_id, body), principal)


@endpoint(bp, "/requests/{request_id}/assign", ["POST"])
def assign(principal, request, request_id):
    return _changed(principal, request, request_id, workflow.AssignBody, workflow.assign)


@endpoint(bp, "/requests/{request_id}/forward", ["POST"])
def forward(principal, request, request_id):
    return _changed(principal, request, request_id, workflow.ForwardBody, workflow.forward, container.task_queue())


@endpoint(bp, "/requests/{request_id}/reclassify", ["POST"])
def reclassify(principal, request, request_id):
    """Staff set category and/or kind; stored as a correction the classifier learns from (issue 18)."""
    return _changed(principal, request, request_id, reclassification.ReclassifyBody,
                    reclassification.reclassify)


@endpoint(bp, "/requests/{request_id}/merge", ["POST"])
def merge(principal, request, request_id):
    return _changed(principal, request, request_id, workflow.MergeBody, workflow.merge)


@endpoint(bp, "/requests/{request_id}/unmerge", ["POST"])
def unmerge(principal, request, request_id):
    return _changed(principal, request, request_id, workflow.UnmergeBody, workflow.unmerge)


@endpoint(bp, "/requests/{request_id}/notes", ["POST"])
def add_note(principal, request, request_id):
    body = parse_json(request, workflow.NoteBody)
    event = workflow.add_note(container.repository(), principal, request_id, body)
    return json_response(event.model_dump(mode="json"), 201)


@endpoint(bp, "/requests/{request_id}/timeline")
def timeline(principal, request, request_id):
    return workflow.timeline(container.repository(), principal, request_id)


@endpoint(bp, "/me/requests")
def my_requests(principal, request):
    params = query_params(request)
    page = workflow.my_requests(container.repository(), principal, limit=int_param(params, "limit", 50, 1, 200),
                                next_=params.get("next") or None)
    return {"items": [requests_uc.present(r, principal) for r in page.items], "next": page.next}


@endpoint(bp, "/departments/{code}/overdue")
def overdue(principal, request, code):
    params = query_params(request)
    items = workflow.overdue(container.repository(), principal, code, limit=int_param(params, "limit", 100, 1, 500))
    return {"department": code, "items": [requests_uc.present(r, principal) for r in items]}


@bp.schedule(Rate(5, unit=Rate.MINUTES))
def escalation_sweep(event):
    from ..observability import logger
    from ..usecases.escalation import sweep

    result = sweep(container.repository(), container.task_queue(),
                   warn_hours=container.settings().escalation_warn_hours, notify=container.escalation_notifier())
    logger().info("escalation sweep", extra={"examined": result.examined, "warned": len(result.warned),
                                             "escalated": len(result.escalated), "lost_races": result.lost_races})
    return {"examined": result.examined, "warned": len(result.warned), "escalated": len(result.escalated)}
