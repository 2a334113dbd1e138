"""Answering citizens: staff replies, the queue consumer that sends, and platform delivery reports.

Reliability: every outbound message has an id (the idempotency key). It is queued on SQS; the consumer
records `SENT` for that id after the platform accepted it, so a redelivery never sends twice. Transient
platform failures raise, so SQS redelivers with a growing visibility timeout and finally moves the message
to the DLQ; permanent failures are recorded on the timeline at once. The timeline is append-only: the
first event is `outbound` (queued), later facts are `outbound_status` events.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Mapping

from ..domain import identifiers
from ..domain.errors import Conflict, InvalidInput, TemporarilyUnavailable
from ..domain.identity import local_zone
from ..domain.models import Request, TimelineEvent, utcnow
from ..domain.outbound import (DELIVERED, EMAIL, FAILED, MANUAL, QUEUED, SENT, SMS, TWILIO_SMS, WHATSAPP,
                               DeliveryUpdate, NoRoute, OutboundMessage, PermanentSendError, ReplyCommand,
                               SendResult, TransientSendError, normalise_status, reply_route)
from ..domain.ports import OutboundQueue, OutboundSender, Repository
from ..observability import count, logger
from . import consent
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

# Longest text each route carries (platform limits); longer replies are a clear 400, never cut silently.
MAX_TEXT = {"x_reply": 280, "x_dm": 10000, "instagram_dm": 1000, "instagram_comment": 2200, "messenger": 2000,
            "facebook_comment": 8000, "whatsapp": 4096, "sms": 1600, "twilio_sms": 1600, "email": 20000,
            "youtube_comment": 10000}

OPT_OUT_CHANNEL = {SMS: "sms", TWILIO_SMS: "sms", WHATSAPP: "whatsapp", EMAIL: "email"}


# -- markers ------------------------------------------------------------------------------------

def opt_out_addresses(route: str, address: str | None) -> list[tuple[str, str]]:
    """The (channel, address) consents (STOP / İPTAL) that stop a message on this route."""
    channel = OPT_OUT_CHANNEL.get(route)
    if not channel or not address:
        return []
    candidates = sorted({address, "+" + address.lstrip("+")}) if channel in ("sms", "whatsapp") else [address]
    pairs = [("sms", a) for a in candidates] if channel == "whatsapp" else []
    return pairs + [(channel, a) for a in candidates]


def is_opted_out(consents: Iterable[Mapping | None]) -> bool:
    """Whether the consent markers already read (the consumer's one batched read) stop a message."""
    return any(consent.is_opt_out_marker(marker) for marker in consents)


def take_daily_slot(repo: Repository, address: str, day: str, cap: int, *,
                    expires_at: int | None = None) -> bool:
    """Per-citizen notification cap per day: one once-only marker per slot (no counters to race on).
    The markers expire (DynamoDB TTL) two days later."""
    return any(repo.take_notify_slot(address, day, slot, expires_at) for slot in range(1, cap + 1))


SMS_ROUTES = (SMS, TWILIO_SMS)


# -- events -------------------------------------------------------------------------------------

def _event(type_: str, data: dict, *, actor: str = "system", public: bool = False, at: datetime | None = None):
    return TimelineEvent(id=identifiers.new_id(), at=at or utcnow(), type=type_, actor=actor,
                         visibility="public" if public else "internal", data=data)


def queued_event(message: OutboundMessage, *, status: str = QUEUED, reason: str | None = None) -> TimelineEvent:
    data = {"message_id": message.message_id, "channel": message.route, "status": status, "reason": reason,
            "kind": message.kind, "text": message.text, "public": message.public}
    if message.template:
        data["template"] = message.template
    return _event("outbound", data, actor=message.actor, public=message.kind == "reply" and message.public,
                  at=message.created_at)


def status_event(message_id: str, channel: str, status: str, reason: str | None = None,
                 **extra) -> TimelineEvent:
    return _event("outbound_status", {"message_id": message_id, "channel": channel, "status": status,
                                      "reason": reason, **{k: v for k, v in extra.items() if v is not None}})


def last_inbound_at(request: Request) -> datetime:
    """When the citizen last wrote to us (platform windows count from there)."""
    times = [request.received_at] + [e.at for e in request.timeline if e.type in ("citizen_message", "citizen_reply")]
    return max(times)


# -- staff reply --------------------------------------------------------------------------------

def reply(repo: Repository, queue: OutboundQueue, principal, request_id: str, cmd: ReplyCommand, *,
          now: datetime | None = None) -> dict:
    """Queue a staff answer on the citizen's own channel; manual channels are recorded for staff to enter."""
    from .requests import visible_request

    principal.require("admin", "agent", "department")
    request = visible_request(repo, principal, request_id, with_timeline=True)
    now = now or utcnow()
    try:
        route, to, in_reply_to = reply_route(request, cmd.public)
        reason = None
    except NoRoute as exc:
        if request.channel.value == "youtube":
            raise InvalidInput(str(exc)) from None
        route, to, in_reply_to, reason = MANUAL, None, None, str(exc)
    limit = MAX_TEXT.get(route)
    if limit and len(cmd.text) > limit:
        raise InvalidInput(both("api.reply_too_long", n=len(cmd.text), limit=limit, route=route))
    message = OutboundMessage(
        message_id=identifiers.new_id(), request_id=request.id, route=route, kind="reply", to=to,
        text=cmd.text, in_reply_to=in_reply_to, public=cmd.public, last_inbound_at=last_inbound_at(request),
        tracking_code=request.tracking_code, created_at=now, actor=principal.actor,
        subject=_subject(request))
    if route == MANUAL:
        event = queued_event(message, status=QUEUED, reason=reason)
        event.data["manual"] = True
        repo.append_events(request.id, [event])
        return {"message_id": message.message_id, "channel": MANUAL, "status": QUEUED, "manual": True,
                "reason": reason}
    _record_queued(repo, request, message, first_response=True)
    try:
        queue.send(message)
    except Exception as exc:
        repo.append_events(request.id, [status_event(message.message_id, route, FAILED,
                                                     both("api.reason_queue_unavailable"))])
        raise TemporarilyUnavailable(both("api.reply_not_queued")) from exc
    count("OutboundQueued", channel=route)
    return {"message_id": message.message_id, "channel": route, "status": QUEUED}


def _subject(request: Request) -> str:
    return f"{both('api.email_subject')} {request.tracking_code}"  # "Talebiniz / Your request TLS-…"


def _record_queued(repo: Repository, request: Request, message: OutboundMessage, *,
                   first_response: bool) -> None:
    """The `outbound` event; the first citizen-visible reply also sets first_response_at (same transaction)."""
    event = queued_event(message)
    current = request
    for _ in range(3):
        if not first_response or current.first_response_at is not None:
            repo.append_events(request.id, [event])
            return
        header = current.model_copy(update={"first_response_at": message.created_at,
                                            "version": current.version + 1, "updated_at": message.created_at,
                                            "timeline": []})
        try:
            repo.save(header, expected_version=current.version, events=[event])
            return
        except Conflict:
            current = repo.get(request.id, with_timeline=False) or current
    repo.append_events(request.id, [event])


def enqueue_notification(repo: Repository, queue: OutboundQueue, request: Request,
                         message: OutboundMessage) -> bool:
    """Queue a notification once per message id (a redelivered stream record queues it again harmlessly;
    the consumer's SENT marker drops the copy), and write its `outbound` event only the first time."""
    queue.send(message)
    if repo.mark_notification_queued(message.message_id, request.id):
        repo.append_events(request.id, [queued_event(message)])
        return True
    return False


# -- the consumer -------------------------------------------------------------------------------

def send(message: OutboundMessage, repo: Repository, senders: Mapping[str, OutboundSender], *,
         receive_count: int = 1,
         max_attempts: int = 5, daily_cap: int = 5, now: datetime | None = None,
         sms_countries: tuple[str, ...] = ("TR",), in_flight_seconds: int = 120) -> str:
    """Deliver one queued message. Returns the outcome; raises TransientSendError to be retried.
    `in_flight_seconds` (the queue's visibility timeout): a "sending" claim younger than this belongs to a
    consumer still at work; an older one is an attempt that ended mid-send (a visible failed state)."""
    now = now or utcnow()
    mid = message.message_id
    # one read for the message's state and every opt-out marker that could stop it
    state, consents = repo.send_state(mid, opt_out_addresses(message.route, message.to))
    if state.get("state") in ("sent", "failed", "skipped"):
        return "duplicate"
    if state.get("state") == "sending":
        claimed = float(state.get("claimed_at") or 0)
        if now.timestamp() - claimed < in_flight_seconds:
            return "duplicate"  # another consumer holds this very message right now; it sends, not us
        # A previous attempt crashed or timed out mid-send: we cannot know whether the platform took it,
        # and sending twice is worse than asking staff to check. Record it (once); never resend blindly.
        if repo.swap_send_state(mid, {**state, "state": "failed"},
                                expected={"state": "sending", "claim": state.get("claim")}):
            repo.append_events(message.request_id, [status_event(
                message.message_id, message.route, FAILED,
                both("api.reason_mid_send"))])
        return "unknown"
    if is_opted_out(consents):
        return _finish(repo, message, "skipped", FAILED, both("api.reason_opted_out"))
    if message.route in SMS_ROUTES:
        from ..domain.contact import sms_refusal

        refused = sms_refusal(message.to, sms_countries)  # SMS pumping: abroad, premium, satellite
        if refused:
            return _finish(repo, message, "skipped", FAILED, refused)
    if message.kind != "reply" and not state.get("cap_taken"):
        day = now.astimezone(local_zone()).strftime("%Y-%m-%d")  # the citizen's day: the municipality's clock
        if not take_daily_slot(repo, message.to or message.request_id, day, daily_cap,
                               expires_at=int(now.timestamp()) + 2 * 86400):
            return _finish(repo, message, "skipped", FAILED,
                           both("api.reason_daily_cap", n=daily_cap))
    sender = senders.get(message.route)
    if sender is None:
        return _finish(repo, message, "failed", FAILED, f"no sender for {message.route}")
    # The claim: "sending" is written only over exactly the state we read (absent, or this retry), so of two
    # copies of a message consumed at once only one goes on to send (the loser may have used a cap slot).
    claim = {"state": "sending", "attempt": receive_count, "cap_taken": True, "request_id": message.request_id,
             "claim": identifiers.new_id(), "claimed_at": int(now.timestamp())}
    expected = None if not state else {"state": state.get("state"), "claim": state.get("claim")}
    if not repo.swap_send_state(mid, claim, expected=expected):
        count("OutboundClaimLost", channel=message.route)
        return "duplicate"
    try:
        result: SendResult = sender.send(message)
    except PermanentSendError as exc:
        return _finish(repo, message, "failed", FAILED, exc.reason)
    except TransientSendError as exc:
        repo.set_send_state(mid, {"state": "retry", "attempt": receive_count, "cap_taken": True,
                                  "reason": exc.reason, "claim": claim["claim"]})
        if receive_count >= max_attempts:
            repo.append_events(message.request_id, [status_event(
                message.message_id, message.route, FAILED,
                both("api.reason_dlq", n=receive_count, reason=exc.reason))])
        logger().warning("outbound transient failure", extra={"message_id": message.message_id,
                                                              "channel": message.route, "attempt": receive_count})
        raise
    # after the send, one transaction: "sent", the platform id -> request marker and the timeline event
    sent = {"state": "sent", "platform": result.platform, "platform_message_id": result.platform_message_id}
    link = {"platform": result.platform, "platform_message_id": result.platform_message_id,
            "request_id": message.request_id, "channel": message.route} if result.platform_message_id else None
    outbox = getattr(sender, "outbox", False)
    repo.record_sent(mid, sent, link, events=[(message.request_id, status_event(
        message.message_id, message.route, SENT, None, platform_message_id=result.platform_message_id,
        note=result.note, outbox=True if outbox else None, outbox_request=result.detail if outbox else None,
        attempt=receive_count))])
    count("OutboundSent", channel=message.route)
    return "sent"


def _finish(repo: Repository, message: OutboundMessage, state: str, status: str, reason: str) -> str:
    repo.set_send_state(message.message_id, {"state": state, "reason": reason})
    repo.append_events(message.request_id, [status_event(message.message_id, message.route, status, reason)])
    count("OutboundFailed" if status == FAILED else "OutboundSkipped", channel=message.route)
    return state


def backoff_seconds(receive_count: int, base: int = 30, cap: int = 900) -> int:
    """Visibility timeout before the next attempt: base, 2×base, 4×base … capped (SQS max is 12 h)."""
    return min(base * (2 ** max(receive_count - 1, 0)), cap)


# -- delivery reports ---------------------------------------------------------------------------

def record_delivery_updates(updates: Iterable[DeliveryUpdate], repo: Repository) -> int:
    """Append an `outbound_status` event per new (message, status); repeated reports change nothing.
    Accepts any object with platform, platform_message_id, status, error, at."""
    recorded = 0
    for update in updates:
        status = normalise_status(update.status)
        if status is None or not update.platform_message_id:
            continue
        link = repo.platform_link(update.platform, update.platform_message_id)
        if link is None:
            continue  # not ours (or sent before tracking began)
        if not repo.mark_delivery_status(update.platform, update.platform_message_id, status, link["request_id"]):
            continue
        repo.append_events(link["request_id"], [status_event(
            link["message_id"], link.get("channel") or update.platform, status,
            getattr(update, "error", None) if status == FAILED else None,
            platform_message_id=update.platform_message_id,
            reported_at=update.at.isoformat() if getattr(update, "at", None) else None)])
        recorded += 1
    return recorded


# -- read model ---------------------------------------------------------------------------------

def delivery_summary(request: Request) -> list[dict]:
    """Each outbound message with its latest status (derived from the append-only timeline)."""
    out: dict[str, dict] = {}
    order = {QUEUED: 0, SENT: 1, DELIVERED: 2, FAILED: 3}
    for e in request.timeline:
        if e.type == "outbound":
            out[e.data["message_id"]] = {**e.data, "at": e.at.isoformat()}
        elif e.type == "outbound_status" and e.data.get("message_id") in out:
            cur = out[e.data["message_id"]]
            if order.get(e.data["status"], 0) >= order.get(cur["status"], 0) or e.data["status"] == FAILED:
                cur["status"] = e.data["status"]
                cur["reason"] = e.data.get("reason")
    return list(out.values())
