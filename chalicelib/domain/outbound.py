"""Outbound messages: what we send back to a citizen, how, and what the platforms tell us about it.

Pure: no I/O. The use case (usecases/outbound.py) and the senders (channels/<platform>/outbound.py) use these.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .models import Channel, Request, _Input

# Delivery statuses shown on the timeline (event `outbound`, then `outbound_status` events, never edited).
QUEUED, SENT, DELIVERED, FAILED = "queued", "sent", "delivered", "failed"

# Platform words → our four statuses. Unknown words are ignored (e.g. Twilio "accepted", "sending").
_STATUS_WORDS = {
    "queued": QUEUED, "accepted": None, "sending": None, "scheduled": None,
    "sent": SENT, "delivered": DELIVERED, "read": DELIVERED, "received": DELIVERED,
    "success": DELIVERED, "delivery": DELIVERED,
    "failed": FAILED, "undelivered": FAILED, "bounce": FAILED, "complaint": FAILED, "reject": FAILED,
    "failure": FAILED, "canceled": FAILED, "deleted": FAILED,
}

# Outbound "routes": how a message reaches the citizen (one sender each).
SMS, EMAIL, WHATSAPP = "sms", "email", "whatsapp"
FACEBOOK_COMMENT, MESSENGER, INSTAGRAM_COMMENT, INSTAGRAM_DM = (
    "facebook_comment", "messenger", "instagram_comment", "instagram_dm")
X_REPLY, X_DM, YOUTUBE_COMMENT, TWILIO_SMS, MANUAL = "x_reply", "x_dm", "youtube_comment", "twilio_sms", "manual"

# Channels whose answer must be entered by staff in another system.
MANUAL_CHANNELS = {Channel.cimer: "CİMER", Channel.e_devlet: "e-Devlet"}
# Timeline events a citizen may hear about (the notify consumer, and its stream filter pattern).
NOTIFYING_EVENTS = ("received", "routed", "rerouted", "status_changed")

WINDOW_24H = timedelta(hours=24)
WINDOW_7D = timedelta(days=7)


def normalise_status(word: str | None) -> str | None:
    return _STATUS_WORDS.get((word or "").strip().lower())


@dataclass(frozen=True)
class DeliveryUpdate:
    """What a platform told us about a message WE sent (WhatsApp statuses[], Twilio callback, SES/SNS events)."""

    platform: str
    platform_message_id: str
    status: str
    error: str | None = None
    at: datetime | None = None
    recipient_id: str | None = None


class ReplyCommand(_Input):
    """Body of POST /requests/{id}/reply."""

    text: str = Field(min_length=1, max_length=4000)
    public: bool = Field(default=False, description="Answer in public (comment reply) instead of privately")


class OutboundMessage(BaseModel):
    """One message to one citizen; message_id is the idempotency key from queue to platform."""

    model_config = ConfigDict(extra="ignore")

    message_id: str
    request_id: str
    route: str
    kind: Literal["reply", "notification", "survey"] = "reply"
    to: str | None = None
    text: str
    subject: str | None = None
    in_reply_to: str | None = Field(default=None, description="Platform id answered: comment, tweet, Message-ID")
    public: bool = False
    last_inbound_at: datetime | None = Field(default=None, description="Citizen's last message (window rules)")
    tracking_code: str | None = None
    template: str | None = Field(default=None, description="Notification template key (received, routed, ...)")
    created_at: datetime
    actor: str = "system"

    @property
    def channel(self) -> str:
        return self.route


class NoRoute(Exception):
    """The request's channel cannot carry this message; the reason is for staff (Turkish / English)."""


def _whatsapp_address(request: Request) -> str | None:
    c = request.citizen
    if c is None:
        return None
    if c.platform_id:
        return c.platform_id.lstrip("+")
    return c.phone.lstrip("+") if c.phone else None


def reply_route(request: Request, public: bool) -> tuple[str, str | None, str | None]:
    """(route, to, in_reply_to) for a staff reply on the channel the citizen used; raises NoRoute."""
    c = request.citizen
    ref = request.channel_ref
    ch = request.channel
    if ch in MANUAL_CHANNELS:
        raise NoRoute(f"{MANUAL_CHANNELS[ch]} yanıtı bu sistemden gönderilemez; yanıtı {MANUAL_CHANNELS[ch]} "
                      f"paneline girin / answer must be entered in {MANUAL_CHANNELS[ch]}")
    if ch in (Channel.sms, Channel.phone, Channel.beyaz_masa, Channel.seffaf_oda, Channel.mobile_app):
        if c and c.phone:
            return SMS, c.phone, None
        if c and c.email:
            return EMAIL, c.email, None
        raise NoRoute("Vatandaşın telefonu ya da e-postası yok; yanıtı elle iletin / no phone or e-mail to answer")
    if ch == Channel.email:
        if c and c.email:
            return EMAIL, c.email, ref
        raise NoRoute("E-posta adresi yok / no e-mail address")
    if ch == Channel.whatsapp:
        to = _whatsapp_address(request)
        if to:
            return WHATSAPP, to, ref
        raise NoRoute("WhatsApp numarası yok / no WhatsApp number")
    if ch == Channel.facebook:
        is_dm = bool(ref) and (ref.startswith("m_") or "_" not in ref)
        if is_dm:
            return MESSENGER, c.platform_id if c else None, ref
        return (FACEBOOK_COMMENT if public else MESSENGER), (c.platform_id if c else None), ref
    if ch == Channel.instagram:
        is_comment = bool(ref) and ref.isdigit()
        if is_comment:
            return (INSTAGRAM_COMMENT if public else INSTAGRAM_DM), (c.platform_id if c else None), ref
        return INSTAGRAM_DM, c.platform_id if c else None, ref
    if ch == Channel.x:
        if public:
            return X_REPLY, c.platform_id if c else None, ref
        if c and c.platform_id:
            return X_DM, c.platform_id, ref
        raise NoRoute("X kullanıcı kimliği yok / no X user id for a direct message")
    if ch == Channel.youtube:
        if not public:
            raise NoRoute("YouTube yorumlarına yalnız herkese açık yanıt verilebilir; public=true gönderin / "
                          "YouTube comment replies are always public: send public=true")
        return YOUTUBE_COMMENT, None, ref
    raise NoRoute("Bu kanal için yanıt yolu yok / no reply path for this channel")


def notification_route(request: Request) -> tuple[str, str] | None:
    """Where status notifications go: the citizen's own phone/e-mail (SMS only to numbers they gave).
    Nowhere for a suspect request: its contact is a claim nobody verified (e.g. a spoofed From)."""
    c = request.citizen
    if c is None or request.suspect:
        return None
    if request.channel == Channel.whatsapp and _whatsapp_address(request):
        return WHATSAPP, _whatsapp_address(request) or ""
    if request.channel == Channel.email and c.email:
        return EMAIL, c.email
    if c.phone and request.channel not in (Channel.email,):
        return SMS, c.phone
    if c.email:
        return EMAIL, c.email
    return None


def survey_phone(channel: Channel, phone: str | None, platform_id: str | None) -> str | None:
    """The E.164 number a survey answer comes from (WhatsApp wa_id has no plus)."""
    if phone:
        return phone
    if channel == Channel.whatsapp and platform_id and platform_id.isdigit():
        return "+" + platform_id
    return None


# -- sending ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    headers: dict | None = None


@dataclass(frozen=True)
class SendResult:
    platform: str
    platform_message_id: str
    note: str | None = None
    detail: dict | None = None  # locally: the exact platform request the outbox recorded


class SendError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientSendError(SendError):
    """The platform is down, throttling or timed out: retry later (SQS redelivery with backoff)."""


class PermanentSendError(SendError):
    """The platform refused this message (bad recipient, window closed, auth): retrying will not help."""


def classify_http(platform: str, response: HttpResponse) -> None:
    """Raise the right SendError for a non-2xx platform response; return for 2xx."""
    if 200 <= response.status < 300:
        return
    text = response.body[:300].decode("utf-8", "replace") if response.body else ""
    reason = f"{platform} HTTP {response.status}: {text}".strip()
    if response.status in (408, 409, 425, 429) or response.status >= 500:
        raise TransientSendError(reason)
    raise PermanentSendError(reason)
