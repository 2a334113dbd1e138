"""Department workflow over HTTP (assign, forward, merge, unmerge, notes, timeline, my requests, overdue)
and the scheduled escalation sweep. Thin: parse, call one use case, present."""
from __future__ import annotations

from chalice import Blueprint, Rate

from .. import container
from .http import lazy, endpoint, int_param, json_response, parse_json, query_params

requests_uc = lazy("chalicelib.usecases.requests")  # imported on first use (cold start)
workflow = lazy("chalicelib.usecases.workflow")

bp = Blueprint(__name__)


@endpoint(bp, "/requests/{request_id}/assign", ["POST"])
def assign(principal, request, request_id):
    body = parse_json(request, workflow.AssignBody)
    return requests_uc.present(workflow.assign(container.repository(), principal, request_id, body), principal)


@endpoint(bp, "/requests/{request_id}/forward", ["POST"])
def forward(principal, request, request_id):
    body = parse_json(request, workflow.ForwardBody)
    updated = workflow.forward(container.repository(), container.task_queue(), principal, request_id, body)
    return requests_uc.present(updated, principal)


@endpoint(bp, "/requests/{request_id}/merge", ["POST"])
def merge(principal, request, request_id):
    body = parse_json(request, workflow.MergeBody)
    return requests_uc.present(workflow.merge(container.repository(), principal, request_id, body), principal)


@endpoint(bp, "/requests/{request_id}/unmerge", ["POST"])
def unmerge(principal, request, request_id):
    body = parse_json(request, workflow.UnmergeBody)
    return requests_uc.present(workflow.unmerge(container.repository(), principal, request_id, body), principal)


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
                   warn_hours=container.settings().escalation_warn_hours, notify=_notifier())
    logger().info("escalation sweep", extra={"examined": result.examined, "warned": len(result.warned),
                                             "escalated": len(result.escalated), "lost_races": result.lost_races})
    return {"examined": result.examined, "warned": len(result.warned), "escalated": len(result.escalated)}


def _reopened_record(record) -> None:
    from ..adapters.schema.requests import is_event, request_id_of

    raw = record.raw_event
    image = raw.get("dynamodb", {}).get("NewImage", {})
    keys = raw.get("dynamodb", {}).get("Keys", {})
    if raw.get("eventName") != "INSERT" or not is_event(keys.get("PK", {}).get("S", ""), keys.get("SK", {}).get("S", "")):
        return
    if image.get("type", {}).get("S") != "reopened":
        return
    request_id = request_id_of(keys["PK"]["S"])
    workflow.notify_reopened(container.repository(), container.task_queue(), request_id, image["id"]["S"])


@bp.lambda_function(name="workflow_events")
def workflow_events(event, context):
    """DynamoDB stream consumer: a reopened request goes back into its department's queue."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=_reopened_record, processor=processor,
                                    context=context)


def _notifier():
    """Publish to the `notifications` topic when it exists (lead's e-mail/SMS subscriptions hang off it)."""
    from .. import resources

    if "notifications" not in resources.TOPICS:
        return None

    def notify(kind, req):
        import json

        from ..adapters.aws import client

        sns = client("sns")
        arn = sns.create_topic(Name=resources.topic_name(container.settings().stage, "notifications"))["TopicArn"]
        sns.publish(TopicArn=arn, Subject=kind, Message=json.dumps({
            "type": kind, "request_id": req.id, "tracking_code": req.tracking_code, "department": req.department,
            "due_at": req.due_at.isoformat() if req.due_at else None, "escalation_level": req.escalation_level}))

    return notify
