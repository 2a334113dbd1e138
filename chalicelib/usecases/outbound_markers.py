"""Keys of the outbound markers: the send state, the platform-id link and the daily notification cap.

Apart from outbound.py so KVKK erasure (privacy.py) finds them without importing the sending use case
(outbound → requests → privacy would otherwise close a circle).
"""
from __future__ import annotations

from .consent import address_key


def state_pk(message_id: str) -> str:
    return f"OUTBOUND#{message_id}"


def platform_pk(platform: str, platform_message_id: str) -> str:
    return f"OUTMSG#{platform}#{platform_message_id}"


def cap_pk(address: str) -> str:
    """`NOTIFYCAP#<HMAC(pepper, address)>`: every day's slots of one address under one key (KVKK erasure
    finds and deletes them with one Query); never the phone number or e-mail itself."""
    return f"NOTIFYCAP#{address_key('notifycap', address)}"
