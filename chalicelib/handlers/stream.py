"""DynamoDB stream consumers. The event-source mapping (ReportBatchItemFailures, bisect, on-failure
destination) is declared in infra/, because Chalice cannot declare it; locally the dev pump invokes these.
"""
from __future__ import annotations

from typing import Any

from chalice import Blueprint

from .. import container
from ..observability import count, logger

bp = Blueprint(__name__)


def _is_new_request(record: dict[str, Any]) -> bool:
    if record.get("eventName") != "INSERT":
        return False
    from ..adapters.schema.requests import is_header

    keys = record.get("dynamodb", {}).get("Keys", {})
    return is_header(keys.get("PK", {}).get("S", ""), keys.get("SK", {}).get("S", ""))


def _route_record(record) -> None:
    from ..adapters.schema.requests import request_from_item
    from ..usecases.route import route_new_request

    raw = record.raw_event
    if not _is_new_request(raw):
        return
    request = request_from_item(dict(record.dynamodb.new_image))
    task = route_new_request(request, container.repository(), container.task_queue(), container.classifier())
    if task is not None:
        logger().info("routed", extra={"request_id": request.id, "queue": task.department})
        count("RequestsRouted", queue=task.department)


@bp.lambda_function(name="route_requests")
def route_requests(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=_route_record, processor=processor,
                                    context=context)
