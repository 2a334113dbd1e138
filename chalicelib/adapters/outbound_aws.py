"""AWS side of outbound: the SQS outbound queue, the local outbox, counters for rate limits, and the
sender registry (SMS → SNS, e-mail → SES, platforms → HTTP or, locally, the outbox)."""
from __future__ import annotations

import json
import time
from typing import Any

from botocore.exceptions import ClientError

from .. import resources
from ..domain.errors import TemporarilyUnavailable
from ..domain.outbound import HttpResponse, OutboundMessage
from .aws import client
from .schema.counters import RATE_SK, rate_pk

OUTBOUND_QUEUE = "outbound"


class SqsOutboundQueue:
    def __init__(self, stage: str) -> None:
        self.stage = stage
        self._url: str | None = None

    def url(self) -> str:
        if self._url is None:
            self._url = client("sqs").get_queue_url(
                QueueName=resources.service_queue(self.stage, OUTBOUND_QUEUE).name)["QueueUrl"]
        return self._url

    def send(self, message: OutboundMessage) -> None:
        try:
            client("sqs").send_message(QueueUrl=self.url(), MessageBody=message.model_dump_json(),
                                       MessageAttributes={"message_id": {"DataType": "String",
                                                                         "StringValue": message.message_id}})
        except ClientError as exc:
            raise TemporarilyUnavailable("Giden ileti kuyruğu yanıt vermiyor / outbound queue unavailable") from exc

    def delay(self, receipt_handle: str, seconds: int) -> None:
        """Backoff: keep a failed message invisible for `seconds` before SQS redelivers it."""
        try:
            client("sqs").change_message_visibility(QueueUrl=self.url(), ReceiptHandle=receipt_handle,
                                                    VisibilityTimeout=int(seconds))
        except ClientError:
            pass  # the message is redelivered after the queue's default visibility anyway


class Outbox:
    """Local stand-in for the internet: records the exact platform request and answers like the platform."""

    def __init__(self, repo) -> None:
        self.repo = repo
        self.recorded: dict[str, dict] = {}

    def __call__(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> HttpResponse:
        from ..domain import identifiers

        fake_id = "outbox-" + identifiers.new_id()
        safe_headers = {k: ("***" if k.lower() == "authorization" else v) for k, v in headers.items()}
        record = {"method": method, "url": url, "headers": safe_headers,
                  "body": (body or b"").decode("utf-8", "replace")}
        self.repo.record_outbox(fake_id, {**record, "at": time.time()})
        self.recorded[fake_id] = record
        reply = {"id": fake_id, "message_id": fake_id, "recipient_id": "outbox", "sid": fake_id,
                 "messages": [{"id": fake_id}], "data": {"id": fake_id, "dm_event_id": fake_id}}
        return HttpResponse(200, json.dumps(reply).encode(), {"Content-Type": "application/json"})


class _Flagged:
    def __init__(self, sender: Any, outbox: "Outbox | None") -> None:
        self._sender = sender
        self.outbox = outbox is not None
        self._box = outbox

    def send(self, message):
        from dataclasses import replace

        result = self._sender.send(message)
        if self._box is not None:
            result = replace(result, detail=self._box.recorded.pop(result.platform_message_id, None))
        return result


def ensure_ses_identity(sender: str) -> None:
    """Locally (moto) the sender identity must be verified before SES accepts mail."""
    try:
        client("ses").verify_email_identity(EmailAddress=sender)
    except ClientError:
        pass


def build_senders(settings, repo, push_subscriptions: tuple[Any, Any]) -> dict[str, Any]:
    from ..channels.email.outbound import SesEmailSender
    from ..channels.meta.outbound import MetaSender
    from ..channels.sms.outbound import SnsSmsSender
    from ..channels.twilio.outbound import TwilioSender
    from ..channels.x.outbound import XSender
    from ..channels.youtube.outbound import YouTubeSender
    from ..domain import outbound as o
    from .http_transport import urllib_transport

    box = Outbox(repo) if settings.outbox else None
    transport = box or urllib_transport
    meta = _Flagged(MetaSender(settings.meta_config(), transport), box)
    x = _Flagged(XSender(settings.x_config(), transport), box)
    youtube = _Flagged(YouTubeSender(settings.youtube_config(), transport), box)
    if settings.stage == "local":
        ensure_ses_identity(settings.email_sender)
    sms: Any = SnsSmsSender(client("sns"), settings.sms_sender_id)
    if settings.sms_provider == "twilio":
        sms = _Flagged(TwilioSender(settings.twilio_config(), transport), box)
    from ..channels.webpush.outbound import WEB_PUSH, WebPushSender
    subscription_of, forget = push_subscriptions  # (request id, subscription id) → subscription / forget it
    web_push = _Flagged(WebPushSender(settings.webpush_config(), transport, subscription_of, forget), box)
    return {
        WEB_PUSH: web_push,
        o.SMS: sms, o.TWILIO_SMS: _Flagged(TwilioSender(settings.twilio_config(), transport), box),
        o.EMAIL: SesEmailSender(client("ses"), settings.email_sender, settings.ses_configuration_set),
        o.WHATSAPP: meta, o.MESSENGER: meta, o.FACEBOOK_COMMENT: meta, o.INSTAGRAM_COMMENT: meta,
        o.INSTAGRAM_DM: meta, o.X_REPLY: x, o.X_DM: x, o.YOUTUBE_COMMENT: youtube,
    }


counter_pk = rate_pk  # the limiter's window item (schema.counters)


class DynamoCounters:
    """Fixed-window counters (rate limits) in the requests table; items expire by TTL."""

    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    def hit(self, key: str, window_seconds: int, *, now: float | None = None) -> int:
        now = now or time.time()
        window = int(now // window_seconds)
        out = client("dynamodb").update_item(
            TableName=self.table_name,
            Key={"PK": {"S": counter_pk(key, window)}, "SK": {"S": RATE_SK}},
            UpdateExpression="ADD hits :one SET expires_at = if_not_exists(expires_at, :exp)",
            ExpressionAttributeValues={":one": {"N": "1"}, ":exp": {"N": str(int(now) + 2 * window_seconds)}},
            ReturnValues="UPDATED_NEW")
        return int(out["Attributes"]["hits"]["N"])

    def peek(self, key: str, window_seconds: int, *, now: float | None = None) -> int:
        now = now or time.time()
        window = int(now // window_seconds)
        out = client("dynamodb").get_item(TableName=self.table_name, ConsistentRead=True,
                                          Key={"PK": {"S": counter_pk(key, window)}, "SK": {"S": RATE_SK}})
        return int(out.get("Item", {}).get("hits", {}).get("N", "0"))
