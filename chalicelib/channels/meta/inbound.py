"""Meta Graph webhooks (Facebook Page feed, Messenger, Instagram comments + DMs, WhatsApp Cloud API).

Pure: verifies `X-Hub-Signature-256` over the raw body and turns one (possibly batched) POST into
`IntakeCommand`s plus WhatsApp `DeliveryUpdate`s. No I/O here; the handler does intake.

Formats: /work/shared/reference/channels.md §1-§5 (Graph webhooks getting-started, Pages feed,
Messenger webhook events, Instagram webhooks reference, WhatsApp messages webhook reference).
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any, Iterable

from ...domain.errors import InvalidInput
from ...domain.models import Attachment, Channel, Citizen
from ...domain.outbound import DeliveryUpdate  # what a platform says about a message WE sent
from .batch import ATTACHMENT_KIND, NO_TEXT, ParsedBatch, add_command, clean, stamp
from .whatsapp import whatsapp_messages, whatsapp_statuses

__all__ = ["NO_TEXT", "ParsedBatch", "SIGNATURE_HEADER", "parse", "sign", "verify_signature", "verify_subscription"]

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="

# Page feed items that are something a citizen wrote on the municipality's page.
FEED_ITEMS = {"comment", "post", "status", "photo", "video", "share"}


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


# -- Messenger / Instagram DMs (messaging style) -----------------------------------------------

def _receipt(event: dict, channel: Channel, batch: ParsedBatch) -> bool:
    """Delivery/read receipts for messages we sent → DeliveryUpdates (only those naming message ids)."""
    delivery, read = event.get("delivery"), event.get("read")
    if isinstance(delivery, dict) and delivery.get("mids"):
        at = stamp(delivery.get("watermark"), millis=True) or stamp(event.get("timestamp"), millis=True)
        for mid in delivery["mids"]:
            batch.delivery_updates.append(DeliveryUpdate(
                platform=channel.value, platform_message_id=str(mid), status="delivered", at=at,
                recipient_id=clean((event.get("sender") or {}).get("id"))))
        return True
    if isinstance(read, dict) and read.get("mid"):  # Instagram names the message; Messenger only a watermark
        batch.delivery_updates.append(DeliveryUpdate(
            platform=channel.value, platform_message_id=str(read["mid"]), status="read",
            at=stamp(event.get("timestamp"), millis=True), recipient_id=clean((event.get("sender") or {}).get("id"))))
        return True
    return False


def _messaging(entry: dict, channel: Channel, batch: ParsedBatch) -> None:
    own_id = clean(entry.get("id"))
    for event in entry.get("messaging") or []:
        if not isinstance(event, dict):
            batch.ignored += 1
            continue
        message = event.get("message")
        sender = clean((event.get("sender") or {}).get("id"))
        if _receipt(event, channel, batch):
            continue
        if not isinstance(message, dict) or not sender:
            batch.ignored += 1  # delivery, read, reaction, message_edit, postback, referral, optin …
            continue
        if message.get("is_echo") or message.get("is_self") or message.get("is_deleted") or sender == own_id:
            batch.ignored += 1
            continue
        mid = clean(message.get("mid"))
        text = clean(message.get("text"))
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
                            "address": clean(att.get("title"))}
                continue
            attachments.append(Attachment(
                kind=ATTACHMENT_KIND.get(kind, "file"),
                url=clean(payload.get("url")) if isinstance(payload, dict) else None,
                provider_id=clean(payload.get("attachment_id") or payload.get("reel_video_id"))
                if isinstance(payload, dict) else None,
                name=clean(att.get("title")),
            ))
        if not text:
            text = NO_TEXT["location"] if location else (NO_TEXT.get(attachments[0].kind) if attachments else None)
        if not text or not mid:
            batch.ignored += 1
            continue
        reply_to = message.get("reply_to") or {}
        add_command(batch.commands, batch,
               channel=channel, text=text, channel_ref=mid,
               received_at=stamp(event.get("timestamp"), millis=True),
               citizen=Citizen(platform_id=sender), location=location, attachments=attachments,
               in_reply_to=clean(reply_to.get("mid") or reply_to.get("story", {}).get("id"))
               if isinstance(reply_to, dict) else None)


# -- Facebook Page feed ------------------------------------------------------------------------

def _page_feed(entry: dict, value: dict, batch: ParsedBatch) -> None:
    item, verb = value.get("item"), value.get("verb")
    sender = value.get("from") or {}
    sender_id = clean(sender.get("id"))
    if item not in FEED_ITEMS or verb != "add" or not sender_id or sender_id == clean(entry.get("id")):
        batch.ignored += 1  # reactions, likes, edits, removals, hides, the page's own posts
        return
    ref = clean(value.get("comment_id")) if item == "comment" else clean(value.get("post_id"))
    attachments = []
    photo = clean(value.get("photo"))
    if item in ("photo", "comment") and (photo or value.get("photo_id") or (item == "photo" and value.get("link"))):
        attachments.append(Attachment(kind="image", url=photo or clean(value.get("link")),
                                      provider_id=clean(value.get("photo_id"))))
    elif item == "video" and value.get("video_id"):
        attachments.append(Attachment(kind="video", url=clean(value.get("link")),
                                      provider_id=clean(value.get("video_id"))))
    text = clean(value.get("message")) or (NO_TEXT[attachments[0].kind] if attachments else None)
    if not ref or not text:
        batch.ignored += 1
        return
    add_command(batch.commands, batch,
           channel=Channel.facebook, text=text, channel_ref=ref,
           received_at=stamp(value.get("created_time"), millis=False) or stamp(entry.get("time"), millis=False),
           citizen=Citizen(name=clean(sender.get("name")), platform_id=sender_id),
           attachments=attachments,
           in_reply_to=clean(value.get("parent_id")) if item == "comment" else None)


# -- Instagram comments --------------------------------------------------------------------------

def _instagram_comment(entry: dict, value: dict, batch: ParsedBatch) -> None:
    sender = value.get("from") or {}
    sender_id = clean(sender.get("id"))
    ref, text = clean(value.get("id")), clean(value.get("text"))
    if not ref or not text or not sender_id or sender_id == clean(entry.get("id")):
        batch.ignored += 1  # our own account's comments/replies
        return
    media = value.get("media") or {}
    username = clean(sender.get("username"))
    add_command(batch.commands, batch,
           channel=Channel.instagram, text=text, channel_ref=ref,
           received_at=stamp(entry.get("time"), millis=False),
           citizen=Citizen(handle=username, platform_id=sender_id),
           in_reply_to=clean(value.get("parent_id")) or clean(media.get("id")))


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
                whatsapp_messages(value, batch)
                whatsapp_statuses(value, batch)
            else:
                batch.ignored += 1  # mentions, smb_message_echoes, account updates, templates …
    return batch
