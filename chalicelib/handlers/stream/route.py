"""route_requests: a new request on the stream → classified and queued for its department."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint

from ... import container
from ...observability import count, logger

bp = Blueprint(__name__)


def _route_record(record) -> None:
    from ...usecases.route import route_new_request

    change = container.decode_stream_record(record)
    if not (change.is_insert and change.is_request_header):
        return
    request = change.new
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
