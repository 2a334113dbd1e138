"""Outbound Lambda functions: the SQS consumer that sends, the stream consumer that notifies citizens,
and the SNS consumer for SES delivery events."""
from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from .. import config, container, resources
from ..observability import logger

bp = Blueprint(__name__)


def _send_record(record) -> None:
    from ..domain.outbound import OutboundMessage, TransientSendError
    from ..usecases import outbound

    message = OutboundMessage.model_validate_json(record.body)
    receive_count = int((record.raw_event.get("attributes") or {}).get("ApproximateReceiveCount", 1))
    s = container.outbound_settings()
    try:
        outbound.send(message, container.repository(), container.outbound_senders(), receive_count=receive_count,
                      max_attempts=s.max_attempts, daily_cap=s.daily_cap, sms_countries=s.sms_countries,
                      in_flight_seconds=resources.SERVICE_QUEUES["outbound"])
    except TransientSendError:
        # Back off: the message reappears after base, 2×base, 4×base … seconds; after max attempts, the DLQ.
        container.outbound_queue().delay(record.receipt_handle,
                                         outbound.backoff_seconds(receive_count, s.backoff_base_seconds))
        raise


@bp.lambda_function(name="send_outbound")
def send_outbound(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=_send_record, processor=processor, context=context)


def _unreachable(records: list[dict[str, Any]]) -> set[str]:
    """Requests whose header image in this batch has nobody to notify (e.g. staff entry without contact).
    Contacts are only ever removed (KVKK erasure), never added later, so "nobody" stays true and their
    events need no header read (issue 21: two GetItems per such request saved)."""
    from boto3.dynamodb.types import TypeDeserializer

    from ..adapters.schema.requests import is_header, request_from_item
    from ..domain.outbound import notification_route

    de, found, reachable = TypeDeserializer(), set(), set()
    for raw in records:
        keys = raw.get("dynamodb", {}).get("Keys", {})
        image = raw.get("dynamodb", {}).get("NewImage")
        if not image or not is_header(keys.get("PK", {}).get("S", ""), keys.get("SK", {}).get("S", "")):
            continue
        try:
            request = request_from_item({k: de.deserialize(v) for k, v in image.items()})
        except Exception:
            continue
        # the app's requests may gain a push subscription after filing (issue 22): never skipped
        silent = notification_route(request) is None and request.channel.value != "mobile_app"
        (found if silent else reachable).add(request.id)
    return found - reachable


def _notify_record(record, unreachable: frozenset[str] = frozenset()) -> None:
    from ..adapters.schema.base import from_stored as _from_dynamo
    from ..adapters.schema.requests import is_event, request_id_of
    from ..domain.models import TimelineEvent
    from ..usecases import notify

    raw = record.raw_event
    if raw.get("eventName") != "INSERT":
        return
    keys = raw.get("dynamodb", {}).get("Keys", {})
    pk, sk = keys.get("PK", {}).get("S", ""), keys.get("SK", {}).get("S", "")
    if not is_event(pk, sk) or request_id_of(pk) in unreachable:
        return
    image = _from_dynamo(dict(record.dynamodb.new_image))
    if image.get("type") not in ("received", "routed", "rerouted", "status_changed"):
        return
    event = TimelineEvent.model_validate(image)
    s = container.outbound_settings()
    queued = notify.on_event(pk[4:], event, container.repository(), container.outbound_queue(),
                             base_url=s.public_base_url, link_key=s.link_key, sms_countries=s.sms_countries,
                             allow_app=lambda app: container.counters().hit(f"notifyapp#{app}", 3600)
                             <= s.app_hourly_cap)
    if queued:
        logger().info("notifications queued", extra={"request_id": pk[4:], "templates": queued})


@bp.lambda_function(name="notify_citizens")
def notify_citizens(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    from functools import partial

    unreachable = frozenset(_unreachable(event.get("Records", [])))
    return process_partial_response(event=event, record_handler=partial(_notify_record, unreachable=unreachable),
                                    processor=processor, context=context)


def ses_updates(message: dict) -> list:
    """SES event publishing (eventType) or legacy notifications (notificationType) → DeliveryUpdates."""
    from ..domain.outbound import DeliveryUpdate

    kind = (message.get("eventType") or message.get("notificationType") or "").lower()
    mail_id = (message.get("mail") or {}).get("messageId")
    if not mail_id or kind not in ("delivery", "bounce", "complaint", "reject", "send"):
        return []
    status = {"send": "sent", "delivery": "delivered"}.get(kind, "failed")
    reason = None
    if kind == "bounce":
        b = message.get("bounce") or {}
        reason = f"bounce {b.get('bounceType', '')}/{b.get('bounceSubType', '')}".strip()
    elif kind in ("complaint", "reject"):
        reason = kind
    return [DeliveryUpdate("ses", mail_id, status, reason, None)]


EMAIL_EVENTS_TOPIC = resources.topic_name(config.declared_stage(), resources.EMAIL_EVENTS_TOPIC)


@bp.on_sns_message(topic=EMAIL_EVENTS_TOPIC, name="delivery_events")
def delivery_events(event) -> dict[str, Any]:
    """SNS → Lambda: SES delivery/bounce/complaint events (configuration set) for e-mail we sent."""
    from ..usecases.outbound import record_delivery_updates

    try:
        message = json.loads(event.message or "{}")
    except ValueError:
        logger().warning("ses event is not JSON")
        return {"recorded": 0}
    return {"recorded": record_delivery_updates(ses_updates(message), container.repository())}
