"""Outbound messages: their send state, the platform's id for them, delivery reports, the local outbox and
the per-citizen daily notification cap."""
from __future__ import annotations

from typing import Any

from .base import keyed


STATE_SK = "STATE"
PLATFORM_LINK_SK = "OUTMSG"
NOTIFY_SK = "QUEUED"
STATUS_SK = "STATUS"
OUTBOX_SK = "OUTBOX"


def state_pk(message_id: str) -> str:
    return f"OUTBOUND#{message_id}"


def platform_pk(platform: str, platform_message_id: str) -> str:
    return f"OUTMSG#{platform}#{platform_message_id}"


def notify_pk(message_id: str) -> str:
    return f"NOTIFY#{message_id}"


def delivery_status_pk(platform: str, platform_message_id: str, status: str) -> str:
    return f"OUTSTATUS#{platform}#{platform_message_id}#{status}"


def outbox_pk(platform_message_id: str) -> str:
    return f"OUTBOX#{platform_message_id}"


def cap_pk(address: str) -> str:
    """`NOTIFYCAP#<HMAC(pepper, address)>`: every day's slots of one address under one key (KVKK erasure
    finds and deletes them with one Query); never the phone number or e-mail itself."""
    return f"NOTIFYCAP#{keyed('notifycap', address)}"


def cap_sk(day: str, slot: int) -> str:
    return f"{day}#N#{slot}"


def state_key(message_id: str) -> tuple[str, str]:
    return state_pk(message_id), STATE_SK


def state_item(message_id: str, attrs: dict[str, Any]) -> dict[str, Any]:
    return {"PK": state_pk(message_id), "SK": STATE_SK, **attrs}


def platform_link_item(platform: str, platform_message_id: str, **attrs: Any) -> dict[str, Any]:
    return {"PK": platform_pk(platform, platform_message_id), "SK": PLATFORM_LINK_SK, **attrs}


def records_of_message(message_id: str) -> list[tuple[str, str]]:
    """The items one outbound message leaves that hold personal data or link to the request (KVKK erasure)."""
    return [(state_pk(message_id), STATE_SK), (notify_pk(message_id), NOTIFY_SK)]


def records_of_platform_id(platform_message_id: str) -> list[tuple[str, str]]:
    return [(outbox_pk(platform_message_id), OUTBOX_SK),
            *[(platform_pk(p, platform_message_id), PLATFORM_LINK_SK) for p in PLATFORMS]]

# Platforms whose message ids we link back to requests (SendResult.platform): `OUTMSG#<platform>#<id>`.
PLATFORMS = ("sns", "ses", "twilio", "facebook", "instagram", "messenger", "whatsapp", "x", "youtube")


def push_key(request_id: str) -> tuple[str, str]:
    """The app's Web Push subscriptions of one request (device endpoints and keys: personal data, KVKK)."""
    return f"PUSH#{request_id}", "SUBSCRIPTIONS"
