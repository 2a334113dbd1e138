"""Outbound Lambda functions: the SQS consumer that sends and the SNS consumer for SES delivery events
(the stream consumer that notifies citizens is handlers/stream/notify.py)."""
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
