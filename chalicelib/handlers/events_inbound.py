"""Event-driven doors: SES e-mail and End User Messaging SMS through SNS, and the Amazon Connect flow Lambda.

Thin: parse (pure channel code) → one use-case call. Bad payloads are logged (without personal data)
and dropped, because a retry can never fix them; AWS failures raise so Lambda retries (intake dedupes).
"""
from __future__ import annotations

from typing import Any

from chalice import Blueprint

from .. import config, container, resources
from ..observability import count, logger
from .http import endpoint
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

bp = Blueprint(__name__)

_STAGE = config.declared_stage()  # topic names are fixed when the handlers are declared
EMAIL_TOPIC = resources.topic_name(_STAGE, "inbound-email")
SMS_TOPIC = resources.topic_name(_STAGE, "inbound-sms")


def take_in_email(message: str) -> dict[str, Any]:
    from ..channels.email import inbound as email
    from ..usecases.intake import intake

    try:
        cmd = email.parse_ses_notification(message)
    except email.Skip as exc:
        count("EmailSkipped", channel="email")
        logger().info("e-mail skipped", extra={"reason": str(exc)})
        return {"status": "skipped", "reason": str(exc)}
    except (email.PayloadError, ValueError) as exc:
        count("InboundRejected", channel="email")
        logger().warning("e-mail rejected", extra={"reason": type(exc).__name__})
        return {"status": "rejected"}
    stored, created = intake(cmd, container.repository())
    logger().info("e-mail received", extra={"request_id": stored.id, "new": created,
                                            "threaded": bool(cmd.in_reply_to)})
    return {"status": "ok", "request_id": stored.id, "tracking_code": stored.tracking_code, "new": created}


def take_in_eum_sms(message: str) -> dict[str, Any]:
    from ..channels.eum import inbound as eum
    from ..usecases import consent
    from ..usecases.intake import intake

    try:
        payload = eum.parse_message(message)
        if consent.is_opt_out_message(payload.get("messageBody")):
            cmd = eum.sms_command(payload)
            if cmd.citizen and cmd.citizen.phone:
                consent.opt_out(container.repository(), "sms", cmd.citizen.phone, source="eum")
            return {"status": "opted_out"}
        cmd = eum.sms_command(payload)
    except (eum.PayloadError, ValueError) as exc:
        count("InboundRejected", channel="sms")
        logger().warning("sms rejected", extra={"reason": type(exc).__name__})
        return {"status": "rejected"}
    stored, created = intake(cmd, container.repository())
    logger().info("sms received", extra={"request_id": stored.id, "new": created})
    return {"status": "ok", "request_id": stored.id, "tracking_code": stored.tracking_code, "new": created}


@bp.on_sns_message(topic=EMAIL_TOPIC, name="inbound_email")
def inbound_email(event) -> dict[str, Any]:
    return take_in_email(event.message)


@bp.on_sns_message(topic=SMS_TOPIC, name="inbound_sms")
def inbound_sms(event) -> dict[str, Any]:
    return take_in_eum_sms(event.message)


@bp.lambda_function(name="connect_intake")
def connect_intake(event: dict[str, Any], context: Any) -> dict[str, str]:
    from ..channels.connect import inbound as connect
    from ..usecases.intake import intake

    try:
        cmd = connect.contact_command(event)
    except (connect.PayloadError, ValueError) as exc:
        count("InboundRejected", channel="phone")
        return connect.flow_error(str(exc).splitlines()[0][:200])
    stored, created = intake(cmd, container.repository())
    if (found := connect.recording_of(cmd)) is not None:  # issue 22: voicemail → Amazon Transcribe (tr-TR)
        from ..usecases.voicemail import VoicemailJob

        container.voicemail_queue().send(VoicemailJob(request_id=stored.id, source="connect",
                                                      recording_id=found[0], media_uri=found[1]))
    logger().info("call received", extra={"request_id": stored.id, "new": created})
    return connect.flow_reply(stored.tracking_code, created)


@bp.schedule("rate(2 minutes)", name="netgsm_poll")
def netgsm_poll(event) -> dict[str, Any]:
    """Pull Netgsm's inbox (no push API). Disabled until NETGSM_USERCODE / NETGSM_PASSWORD are set."""
    from datetime import timedelta

    from ..channels.netgsm.inbound import NetgsmError, NetgsmInbox
    from ..usecases.netgsm_poll import poll

    s = container.settings()
    if not (s.netgsm_usercode and s.netgsm_password):
        return {"status": "disabled"}
    inbox = NetgsmInbox(s.netgsm_usercode, s.netgsm_password, container.netgsm_transport())
    try:
        report = poll(inbox, container.repository(), window=timedelta(minutes=s.netgsm_window_minutes))
    except NetgsmError as exc:
        count("NetgsmPollFailed", channel="sms")
        logger().warning("netgsm poll failed", extra={"code": exc.code})
        return {"status": "error", "code": exc.code}
    logger().info("netgsm polled", extra={f"poll_{k}": v for k, v in report.items()})
    return {"status": "ok", **report}


def email_topic_arns() -> frozenset[str]:
    """The pinned topic ARNs (account and region included) whose messages `/webhooks/sns/email` accepts and
    whose subscriptions it confirms. Deployed stages get them from infra (INBOUND_EMAIL_TOPIC_ARNS); the
    local/test stages pin the topic the bootstrap creates in moto. A name alone is never enough: any account
    can create a topic called ulakbel-<stage>-inbound-email."""
    s = container.settings()
    if s.inbound_email_topic_arns:
        return frozenset(a.strip() for a in s.inbound_email_topic_arns.split(",") if a.strip())
    if s.stage in ("local", "test"):
        return frozenset({resources.topic_arn(s.stage, resources.INBOUND_EMAIL_TOPIC, s.region,
                                              resources.LOCAL_ACCOUNT)})
    logger().error("INBOUND_EMAIL_TOPIC_ARNS is not configured: every SNS e-mail delivery is refused")
    return frozenset()


def _email_topic_allowed(arn: str) -> bool:
    return arn in email_topic_arns()


def _confirm_url_matches(url: str, topic: str) -> bool:
    """The SubscribeURL confirms exactly this (pinned) topic, at its own region's SNS endpoint."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    query = parse_qs(parts.query)
    region = topic.split(":")[3] if topic.count(":") >= 5 else ""
    return (query.get("Action") == ["ConfirmSubscription"] and query.get("TopicArn") == [topic]
            and (parts.hostname or "").startswith(f"sns.{region}.amazonaws.com"))


@endpoint(bp, "/webhooks/sns/email", ["POST"], auth=False,
          content_types=["text/plain", "application/json"])
def sns_email(_principal, request):
    """SES → SNS → HTTPS subscription (alternative to the Lambda subscription above)."""
    import json

    from ..channels.email import sns
    from ..domain.errors import Forbidden, InvalidInput

    try:
        message = json.loads(request.raw_body or b"")
    except ValueError:
        raise InvalidInput(both("api.sns_json")) from None
    if not isinstance(message, dict):
        raise InvalidInput(both("api.sns_object"))
    get = container.sns_http_get()
    try:
        sns.verify(message, get, _email_topic_allowed)
    except sns.SnsSignatureError as exc:
        count("WebhookSignatureRejected", channel="email")
        raise Forbidden(both("api.sns_signature", reason=exc)) from None
    if message["Type"] == "SubscriptionConfirmation":
        if not sns.is_sns_url(message.get("SubscribeURL")) or \
                not _confirm_url_matches(message["SubscribeURL"], message["TopicArn"]):
            raise Forbidden(both("api.sns_subscribe_url"))
        get(message["SubscribeURL"])
        return {"status": "subscribed"}
    if message["Type"] == "UnsubscribeConfirmation":
        return {"status": "ignored"}
    return take_in_email(message["Message"])
