"""Identifiers: ULIDs for sortable ids, short tracking codes for citizens to read out on the phone."""
from __future__ import annotations

import secrets

from ulid import ULID

# No 0/O, 1/I/L (and no I/İ confusion for Turkish readers), no U/V pairs that sound alike on the phone.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
TRACKING_LENGTH = 8


def new_id() -> str:
    return str(ULID())


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_tracking_code(code: str) -> str:
    """Accept what a citizen types: lower case, spaces, missing dash, O for 0 and so on."""
    cleaned = "".join(ch for ch in code.upper().replace("İ", "I") if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != TRACKING_LENGTH:
        return code.strip().upper()
    return f"{cleaned[:4]}-{cleaned[4:]}"


def is_tracking_code(code: str) -> bool:
    parts = code.split("-")
    return (
        len(parts) == 2
        and all(len(p) == TRACKING_LENGTH // 2 for p in parts)
        and all(ch in TRACKING_ALPHABET for ch in "".join(parts))
    )


def dedupe_key(channel: str, channel_ref: str | None) -> str | None:
    """One provider message (channel + its own reference) is taken in once: the key of that promise."""
    return f"{channel}#{channel_ref}" if channel_ref else None
