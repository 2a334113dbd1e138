"""route_requests: new requests on the stream → classified and queued for their departments."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint

from ... import container
from ...observability import count, logger

bp = Blueprint(__name__)


def _new_requests(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The batch's new request headers, by the identity of their record (the records this consumer acts on)."""
    found = {}
    for record in records:
        try:
            change = container.decode_stream_record(record)
            if change.is_insert and change.is_request_header:
                found[id(record)] = change.new
        except Exception:  # left for the record handler, which fails that record alone
            continue
    return found


@bp.lambda_function(name="route_requests")
def route_requests(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The whole batch is routed first (tasks sent in batches, issue 21); then Powertools' BatchProcessor
    names each record whose routing failed in `batchItemFailures`, so the stream redelivers from it."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    from ...usecases.route import route_new_requests

    records = event.get("Records", [])
    requests = _new_requests(records)
    outcomes = {}
    if requests:
        routed = route_new_requests(list(requests.values()), container.repository(), container.task_queue(),
                                    container.classifier())
        outcomes = dict(zip(requests, routed))

    def _route_record(record) -> None:
        change = container.decode_stream_record(record)
        if not (change.is_insert and change.is_request_header):
            return
        outcome = outcomes.get(id(getattr(record, "raw_event", record)))
        if outcome is None:  # unreadable above: decoding again raises here, for this record alone
            change.new
            raise RuntimeError("request header not routed")
        if outcome.error is not None:
            logger().error("routing failed", extra={"request_id": outcome.request_id,
                                                    "error": type(outcome.error).__name__})
            raise outcome.error
        if outcome.task is not None:
            logger().info("routed", extra={"request_id": outcome.request_id, "queue": outcome.task.department})
            count("RequestsRouted", queue=outcome.task.department)

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=_route_record, processor=processor,
                                    context=context)
