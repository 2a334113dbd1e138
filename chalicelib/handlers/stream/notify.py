"""notify_citizens: a received / routed / status-changed timeline event → the citizen's notification."""
from __future__ import annotations

from functools import partial
from typing import Any

from chalice import Blueprint

from ... import container
from ...observability import logger

bp = Blueprint(__name__)


def _unreachable(records: list[dict[str, Any]]) -> set[str]:
    """Requests whose header image in this batch has nobody to notify (e.g. staff entry without contact).
    Contacts are only ever removed (KVKK erasure), never added later, so "nobody" stays true and their
    events need no header read (issue 21: two GetItems per such request saved)."""
    from ...domain.outbound import notification_route

    found, reachable = set(), set()
    for raw in records:
        change = container.decode_stream_record(raw)
        if not change.new_image or not change.is_request_header:
            continue
        try:
            request = change.new
        except Exception:
            continue
        # the app's requests may gain a push subscription after filing (issue 22): never skipped
        silent = notification_route(request) is None and request.channel.value != "mobile_app"
        (found if silent else reachable).add(request.id)
    return found - reachable


def _notify_record(record, unreachable: frozenset[str] = frozenset()) -> None:
    from ...domain.outbound import NOTIFYING_EVENTS  # one list: the notify filter pattern uses it too
    from ...usecases import notify

    change = container.decode_stream_record(record)
    if not (change.is_insert and change.is_request_event) or change.request_id in unreachable:
        return
    if (change.new_item or {}).get("type") not in NOTIFYING_EVENTS:
        return
    s = container.outbound_settings()
    queued = notify.on_event(change.request_id, change.new, container.repository(), container.outbound_queue(),
                             base_url=s.public_base_url, link_key=s.link_key, sms_countries=s.sms_countries,
                             allow_app=lambda app: container.counters().hit(f"notifyapp#{app}", 3600)
                             <= s.app_hourly_cap)
    if queued:
        logger().info("notifications queued", extra={"request_id": change.request_id, "templates": queued})


@bp.lambda_function(name="notify_citizens")
def notify_citizens(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    unreachable = frozenset(_unreachable(event.get("Records", [])))
    return process_partial_response(event=event, record_handler=partial(_notify_record, unreachable=unreachable),
                                    processor=processor, context=context)
