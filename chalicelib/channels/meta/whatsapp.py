"""WhatsApp Cloud API webhooks (`object: whatsapp_business_account`, field `messages`): citizens' messages →
`IntakeCommand`s, and the statuses of messages WE sent → `DeliveryUpdate`s. Pure; the envelope and the
signature are read by inbound.py. Format: /work/shared/reference/channels.md §5."""
from __future__ import annotations

from ...domain.models import Attachment, Channel, Citizen
from ...domain.outbound import DeliveryUpdate
from .batch import ATTACHMENT_KIND, NO_TEXT, ParsedBatch, add_command, clean, e164, stamp


def whatsapp_statuses(value: dict, batch: ParsedBatch) -> None:
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
            error=error, at=stamp(status.get("timestamp"), millis=False),
            recipient_id=clean(status.get("recipient_id") or status.get("recipient_user_id"))))


def whatsapp_messages(value: dict, batch: ParsedBatch) -> None:
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
        wa_id = clean(msg.get("from"))
        user_id = clean(msg.get("from_user_id"))
        ref = clean(msg.get("id"))
        kind = msg.get("type")
        if not ref or not (wa_id or user_id) or (wa_id and wa_id == business_number):
            batch.ignored += 1
            continue
        text: str | None = None
        attachments: list[Attachment] = []
        location = None
        body = msg.get(kind) if isinstance(kind, str) and isinstance(msg.get(kind), dict) else {}
        if kind == "text":
            text = clean(body.get("body"))
        elif kind in ("image", "video", "audio", "voice", "document", "sticker"):
            att_kind = ATTACHMENT_KIND.get(kind, kind)
            attachments.append(Attachment(kind=att_kind, provider_id=clean(body.get("id")),
                                          content_type=clean(body.get("mime_type")),
                                          name=clean(body.get("filename")), caption=clean(body.get("caption"))))
            text = clean(body.get("caption")) or NO_TEXT.get(att_kind, NO_TEXT["file"])
        elif kind == "location":
            address = ", ".join(p for p in (clean(body.get("name")), clean(body.get("address"))) if p) or None
            location = {"lat": body.get("latitude"), "long": body.get("longitude"), "address": address}
            text = address or NO_TEXT["location"]
        elif kind == "interactive":
            reply = body.get("button_reply") or body.get("list_reply") or body.get("nfm_reply") or {}
            text = clean(reply.get("title")) or clean(reply.get("body")) or clean(reply.get("response_json"))
        elif kind == "button":
            text = clean(body.get("text")) or clean(body.get("payload"))
        if not text:
            batch.ignored += 1  # reaction, unsupported, system, order, contacts …
            continue
        contact = profiles.get(wa_id or "") or profiles.get(user_id or "") or {}
        profile = contact.get("profile") or {}
        context = msg.get("context") or {}
        add_command(batch.commands, batch,
               channel=Channel.whatsapp, text=text, channel_ref=ref,
               received_at=stamp(msg.get("timestamp"), millis=False),
               citizen=Citizen(name=clean(profile.get("name")), handle=clean(profile.get("username")),
                               platform_id=wa_id or user_id, phone=e164(wa_id)),
               location=location, attachments=attachments,
               in_reply_to=clean(context.get("id")) if isinstance(context, dict) else None)
