"""workflow_events: a `reopened` timeline event → the request goes back into its department's queue."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint

from ... import container

bp = Blueprint(__name__)


def _reopened_record(record) -> None:
    from ...usecases.reopen import notify_reopened

    change = container.decode_stream_record(record)
    if not (change.is_insert and change.is_request_event) or (change.new_item or {}).get("type") != "reopened":
        return
    notify_reopened(container.repository(), container.task_queue(), change.request_id, change.new_item["id"])


@bp.lambda_function(name="workflow_events")
def workflow_events(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=_reopened_record, processor=processor,
                                    context=context)
