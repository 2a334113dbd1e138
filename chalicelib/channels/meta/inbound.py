"""Meta Graph webhooks (Facebook Page feed, Messenger, Instagram comments + DMs, WhatsApp Cloud API).

Pure: verifies `X-Hub-Signature-256` over the raw body and turns one (possibly batched) POST into
`IntakeCommand`s plus WhatsApp `DeliveryUpdate`s. No I/O here; the handler does intake.

Formats: /work/shared/reference/channels.md §1-§5 (Graph webhooks getting-started, Pages feed,
Messenger webhook events, Instagram webhooks reference, WhatsApp messages webhook reference).
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from pydantic import ValidationError

from ...domain.contact import normalise_phone
from ...domain.errors import InvalidInput
from ...domain.outbound import DeliveryUpdate  # what a platform says about a message WE sent
from ...domain.models import Attachment, Channel, Citizen, IntakeCommand, Location

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="

# Placeholders when a message carries no text of its own (IntakeCommand.text may not be empty).
NO_TEXT = {
    "image": "[Fotoğraf / photo]",
    "video": "[Video / video]",
    "audio": "[Ses kaydı / audio]",
    "file": "[Dosya / file]",
    "sticker": "[Çıkartma / sticker]",
    "location": "[Konum / location]",
    "link": "[Bağlantı / link]",
}

# Page feed items that are something a citizen wrote on the municipality's page.
FEED_ITEMS = {"comment", "post", "status", "photo", "video", "share"}


@dataclass
class ParsedBatch:
    commands: list[IntakeCommand] = field(default_factory=list)
    delivery_updates: list[DeliveryUpdate] = field(default_factory=list)
    ignored: int = 0  # echoes, edits, removals, reactions, read receipts, unparseable items


# -- signature ------------------------------------------------------------------------------

def sign(raw_body: bytes, app_secret: str) -> str:
    """The header value Meta sends: `sha256=` + lowercase hex HMAC-SHA256(app secret, raw body)."""
    return _PREFIX + hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()


def verify_signature(raw_body: bytes, header: str | None, secrets: Iterable[str | None]) -> bool:
    """Constant-time check against every configured secret (the Instagram-Login app secret may differ)."""
    if not header or not header.startswith(_PREFIX) or len(header) != len(_PREFIX) + 64:
        return False
    ok = False
    for secret in secrets:
        if secret:
            ok |= hmac.compare_digest(sign(raw_body, secret), header.lower())
    return ok


def verify_subscription(params: dict[str, str], verify_token: str | None) -> str | None:
    """GET handshake: the challenge to echo, or None (→ 403)."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    given = params.get("hub.verify_token") or ""
    if not hmac.compare_digest(given.encode("utf-8"), verify_token.encode("utf-8")):
        return None
    challenge = params.get("hub.challenge")
    return challenge if challenge else None


# -- helpers --------------------------------------------------------------------------------

def _ts(value: Any, *, millis: bool) -> datetime | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number <= 0:
        return None
    if millis:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _phone(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return normalise_phone("+" + raw.lstrip("+"))
    except ValueError:
        return None


def _build(commands: list[IntakeCommand], batch: ParsedBatch, **kw: Any) -> None:
    """Validate one command; a single malformed item is skipped, never fails the whole batch."""
    try:
        commands.append(IntakeCommand(**kw))
    except ValidationError:
        batch.ignored += 1


_ATTACHMENT_KIND = {"image": "image", "video": "video", "audio": "audio", "file": "file", "sticker": "sticker",
                    "document": "file", "voice": "audio", "reel": "video", "ig_reel": "video",
                    "story_mention": "link", "share": "link", "fallback": "link", "template": "link"}


# -- Messenger / Instagram DMs (messaging style) -----------------------------------------------

def _receipt(event: dict, channel: Channel, batch: ParsedBatch) -> bool:
    """Delivery/read receipts for messages we sent → DeliveryUpdates (only those naming message ids)."""
    delivery, read = event.get("delivery"), event.get("read")
    if isinstance(delivery, dict) and delivery.get("mids"):
        at = _ts(delivery.get("watermark"), millis=True) or _ts(event.get("timestamp"), millis=True)
        for mid in delivery["mids"]:
            batch.delivery_updates.append(DeliveryUpdate(
                platform=channel.value, platform_message_id=str(mid), status="delivered", at=at,
                recipient_id=_str((event.get("sender") or {}).get("id"))))
        return True
    if isinstance(read, dict) and read.get("mid"):  # Instagram names the message; Messenger only a watermark
        batch.delivery_updates.append(DeliveryUpdate(
            platform=channel.value, platform_message_id=str(read["mid"]), status="read",
            at=_ts(event.get("timestamp"), millis=True), recipient_id=_str((event.get("sender") or {}).get("id"))))
        return True
    return False


def _messaging(entry: dict, channel: Channel, batch: ParsedBatch) -> None:
    own_id = _str(entry.get("id"))
    for event in entry.get("messaging") or []:
        if not isinstance(event, dict):
            batch.ignored += 1
            continue
        message = event.get("message")
        sender = _str((event.get("sender") or {}).get("id"))
        if _receipt(event, channel, batch):
            continue
        if not isinstance(message, dict) or not sender:
            batch.ignored += 1  # delivery, read, reaction, message_edit, postback, referral, optin …
            continue
        if message.get("is_echo") or message.get("is_self") or message.get("is_deleted") or sender == own_id:
            batch.ignored += 1
            continue
        mid = _str(message.get("mid"))
        text = _str(message.get("text"))
        attachments: list[Attachment] = []
        location = None
        for att in message.get("attachments") or []:
            if not isinstance(att, dict):
                continue
            kind = att.get("type") or "file"
            payload = att.get("payload") or {}
            coords = payload.get("coordinates") if isinstance(payload, dict) else None
            if kind == "location" and isinstance(coords, dict):
                location = {"lat": coords.get("lat"), "long": coords.get("long"),
                            "address": _str(att.get("title"))}
                continue
            attachments.append(Attachment(
                kind=_ATTACHMENT_KIND.get(kind, "file"),
                url=_str(payload.get("url")) if isinstance(payload, dict) else None,
                provider_id=_str(payload.get("attachment_id") or payload.get("reel_video_id"))
                if isinstance(payload, dict) else None,
                name=_str(att.get("title")),
            ))
        if not text:
            text = NO_TEXT["location"] if location else (NO_TEXT.get(attachments[0].kind) if attachments else None)
        if not text or not mid:
            batch.ignored += 1
            continue
        reply_to = message.get("reply_to") or {}
        _build(batch.commands, batch,
               channel=channel, text=text, channel_ref=mid,
               received_at=_ts(event.get("timestamp"), millis=True),
               citizen=Citizen(platform_id=sender), location=location, attachments=attachments,
               in_reply_to=_str(reply_to.get("mid") or reply_to.get("story", {}).get("id"))
               if isinstance(reply_to, dict) else None)


# -- Facebook Page feed ------------------------------------------------------------------------

def _page_feed(entry: dict, value: dict, batch: ParsedBatch) -> None:
    item, verb = value.get("item"), value.get("verb")
    sender = value.get("from") or {}
    sender_id = _str(sender.get("id"))
    if item not in FEED_ITEMS or verb != "add" or not sender_id or sender_id == _str(entry.get("id")):
        batch.ignored += 1  # reactions, likes, edits, removals, hides, the page's own posts
        return
    ref = _str(value.get("comment_id")) if item == "comment" else _str(value.get("post_id"))
    attachments = []
    photo = _str(value.get("photo"))
    if item in ("photo", "comment") and (photo or value.get("photo_id") or (item == "photo" and value.get("link"))):
        attachments.append(Attachment(kind="image", url=photo or _str(value.get("link")),
                                      provider_id=_str(value.get("photo_id"))))
    elif item == "video" and value.get("video_id"):
        attachments.append(Attachment(kind="video", url=_str(value.get("link")),
                                      provider_id=_str(value.get("video_id"))))
    text = _str(value.get("message")) or (NO_TEXT[attachments[0].kind] if attachments else None)
    if not ref or not text:
        batch.ignored += 1
        return
    _build(batch.commands, batch,
           channel=Channel.facebook, text=text, channel_ref=ref,
           received_at=_ts(value.get("created_time"), millis=False) or _ts(entry.get("time"), millis=False),
           citizen=Citizen(name=_str(sender.get("name")), platform_id=sender_id),
           attachments=attachments,
           in_reply_to=_str(value.get("parent_id")) if item == "comment" else None)


# -- Instagram comments --------------------------------------------------------------------------

def _instagram_comment(entry: dict, value: dict, batch: ParsedBatch) -> None:
    sender = value.get("from") or {}
    sender_id = _str(sender.get("id"))
    ref, text = _str(value.get("id")), _str(value.get("text"))
    if not ref or not text or not sender_id or sender_id == _str(entry.get("id")):
        batch.ignored += 1  # our own account's comments/replies
        return
    media = value.get("media") or {}
    username = _str(sender.get("username"))
    _build(batch.commands, batch,
           channel=Channel.instagram, text=text, channel_ref=ref,
           received_at=_ts(entry.get("time"), millis=False),
           citizen=Citizen(handle=username, platform_id=sender_id),
           in_reply_to=_str(value.get("parent_id")) or _str(media.get("id")))


# -- WhatsApp Cloud API ----------------------------------------------------------------------------

def _wa_status(value: dict, batch: ParsedBatch) -> None:
    for status in value.get("statuses") or []:
        if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
            batch.ignored += 1
            continue
        errors = status.get("errors") or []
        error = None
        if errors and isinstance(errors[0], dict):
            first = errors[0]
            details = (first.get("error_data") or {}).get("details") if isinstance(first.get("error_data"), dict) \
                else None
            error = " ".join(str(p) for p in (first.get("code"), first.get("title") or first.get("message"),
                                              details) if p)
        batch.delivery_updates.append(DeliveryUpdate(
            platform="whatsapp", platform_message_id=str(status["id"]), status=str(status["status"]),
            error=error, at=_ts(status.get("timestamp"), millis=False),
            recipient_id=_str(status.get("recipient_id") or status.get("recipient_user_id"))))


def _wa_messages(value: dict, batch: ParsedBatch) -> None:
    metadata = value.get("metadata") or {}
    business_number = "".join(c for c in str(metadata.get("display_phone_number") or "") if c.isdigit()) or None
    profiles: dict[str, dict] = {}
    for contact in value.get("contacts") or []:
        if isinstance(contact, dict):
            for key in ("wa_id", "user_id"):
                if contact.get(key):
                    profiles[str(contact[key])] = contact
    for msg in value.get("messages") or []:
        if not isinstance(msg, dict):
            batch.ignored += 1
            continue
        wa_id = _str(msg.get("from"))
        user_id = _str(msg.get("from_user_id"))
        ref = _str(msg.get("id"))
        kind = msg.get("type")
        if not ref or not (wa_id or user_id) or (wa_id and wa_id == business_number):
            batch.ignored += 1
            continue
        text: str | None = None
        attachments: list[Attachment] = []
        location = None
        body = msg.get(kind) if isinstance(kind, str) and isinstance(msg.get(kind), dict) else {}
        if kind == "text":
            text = _str(body.get("body"))
        elif kind in ("image", "video", "audio", "voice", "document", "sticker"):
            att_kind = _ATTACHMENT_KIND.get(kind, kind)
            attachments.append(Attachment(kind=att_kind, provider_id=_str(body.get("id")),
                                          content_type=_str(body.get("mime_type")),
                                          name=_str(body.get("filename")), caption=_str(body.get("caption"))))
            text = _str(body.get("caption")) or NO_TEXT.get(att_kind, NO_TEXT["file"])
        elif kind == "location":
            address = ", ".join(p for p in (_str(body.get("name")), _str(body.get("address"))) if p) or None
            location = {"lat": body.get("latitude"), "long": body.get("longitude"), "address": address}
            text = address or NO_TEXT["location"]
        elif kind == "interactive":
            reply = body.get("button_reply") or body.get("list_reply") or body.get("nfm_reply") or {}
            text = _str(reply.get("title")) or _str(reply.get("body")) or _str(reply.get("response_json"))
        elif kind == "button":
            text = _str(body.get("text")) or _str(body.get("payload"))
        if not text:
            batch.ignored += 1  # reaction, unsupported, system, order, contacts …
            continue
        contact = profiles.get(wa_id or "") or profiles.get(user_id or "") or {}
        profile = contact.get("profile") or {}
        context = msg.get("context") or {}
        _build(batch.commands, batch,
               channel=Channel.whatsapp, text=text, channel_ref=ref,
               received_at=_ts(msg.get("timestamp"), millis=False),
               citizen=Citizen(name=_str(profile.get("name")), handle=_str(profile.get("username")),
                               platform_id=wa_id or user_id, phone=_phone(wa_id)),
               location=location, attachments=attachments,
               in_reply_to=_str(context.get("id")) if isinstance(context, dict) else None)


# -- entry point --------------------------------------------------------------------------------

def parse(payload: Any) -> ParsedBatch:
    """Normalise one webhook POST. Raises InvalidInput only when the envelope itself is not Meta's."""
    if isinstance(payload, list) and len(payload) == 1:  # some IG doc snippets wrap the object in [ ]
        payload = payload[0]
    if not isinstance(payload, dict) or not isinstance(payload.get("entry", []), list):
        raise InvalidInput("Meta webhook gövdesi beklenen biçimde değil / not a Meta webhook payload")
    obj = payload.get("object")
    if obj not in ("page", "instagram", "whatsapp_business_account"):
        raise InvalidInput(f"Desteklenmeyen Meta nesnesi / unsupported Meta object: {str(obj)[:40]!r}")
    batch = ParsedBatch()
    channel = Channel.instagram if obj == "instagram" else Channel.facebook
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            batch.ignored += 1
            continue
        if obj in ("page", "instagram") and entry.get("messaging"):
            _messaging(entry, channel, batch)
        batch.ignored += len(entry.get("standby") or [])  # another app owns the thread (handover)
        for change in entry.get("changes") or []:
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                batch.ignored += 1
                continue
            fld, value = change.get("field"), change["value"]
            if obj == "page" and fld == "feed":
                _page_feed(entry, value, batch)
            elif obj == "instagram" and fld in ("comments", "live_comments"):
                _instagram_comment(entry, value, batch)
            elif obj == "whatsapp_business_account" and fld == "messages":
                _wa_messages(value, batch)
                _wa_status(value, batch)
            else:
                batch.ignored += 1  # mentions, smb_message_echoes, account updates, templates …
    return batch
