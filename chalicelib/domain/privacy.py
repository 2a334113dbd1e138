"""KVKK (Law 6698) rules as pure functions: pseudonymous citizen keys and what anonymisation keeps.

A citizen key is HMAC-SHA256(pepper, kind:normalised value): it lets `POST /citizens/erase` find every
request of one person without storing a phone number, e-mail or TC kimlik no in an index. The pepper is
a secret (ULAKBEL_PII_PEPPER); without it the keys cannot be recomputed from a guessed identifier.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from .contact import is_valid_tc_kimlik, normalise_phone

ANONYMISED_TEXT = "[anonimleştirildi / anonymised]"
# Statuses whose personal data the retention job removes once they are older than the retention period
# (counted from `resolved_at`, else the last change): every terminal status, and the dormant ones — a
# request forwarded to an outside institution or waiting for a citizen who never answered.
RETENTION_STATUSES = ("resolved", "closed", "rejected", "duplicate", "forwarded", "waiting_citizen")
# Timeline event data fields that may carry free text written by or about the citizen.
FREE_TEXT_FIELDS = ("note", "text", "body", "message", "reply", "comment", "subject", "channel_ref", "reason",
                    "caption", "transcript", "outbox_request", "detail", "error")
# Fields (at any depth) that hold a person's identifiers or whereabouts.
PERSONAL_FIELDS = ("citizen", "name", "phone", "email", "handle", "platform_id", "tc_kimlik_no", "to", "from",
                   "sender", "recipient", "recipient_id", "address", "lat", "long", "attendees", "author",
                   "display_name", "username", "wa_id", "url", "media_url")
# Fields that are machine facts (ids, codes, states): kept as they are.
FACT_FIELDS = ("status", "channel", "type", "template", "kind", "after", "before", "department", "category",
               "message_id", "platform_message_id", "public", "manual", "attempt", "score", "source")
DELETION_LOG_YEARS = 3


def citizen_key(kind: str, value: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:40]


def account(platform: str, value: str) -> str:
    """A social account as one value: `<platform>:<id or handle>` (handles without @, case-folded)."""
    return f"{platform}:{value.strip().lstrip('@').casefold()}"


def normalised_identifiers(phone: str | None = None, email: str | None = None,
                           tc_kimlik_no: str | None = None, *, platform: str | None = None,
                           handle: str | None = None, platform_id: str | None = None) -> list[tuple[str, str]]:
    """(kind, normalised value) pairs; raises ValueError with a clear message for a malformed one."""
    out = []
    if (handle or platform_id) and not platform:
        raise ValueError("handle/platform_id için platform verin (ör. x, instagram) / give the platform too")
    if handle:
        out.append(("handle", account(platform or "", handle)))
    if platform_id:
        out.append(("account", account(platform or "", platform_id)))
        if platform == "whatsapp" and platform_id.strip().lstrip("+").isdigit():
            out.append(("phone", normalise_phone("+" + platform_id.strip().lstrip("+"))))
    if phone:
        out.append(("phone", normalise_phone(phone)))
    if email:
        local, at, domain = email.strip().partition("@")
        if not at or not local or "." not in domain:
            raise ValueError("E-posta adresi geçerli değil / e-mail address is not valid")
        out.append(("email", local + "@" + domain.lower()))
    if tc_kimlik_no:
        if not is_valid_tc_kimlik(tc_kimlik_no.strip()):
            raise ValueError("TC kimlik numarası geçersiz / TC identity number failed its checksum")
        out.append(("tc", tc_kimlik_no.strip()))
    return out


def citizen_keys(citizen, pepper: str, channel: str | None = None) -> list[str]:
    """Keys of a stored Citizen (already normalised by the model); social accounts with their platform
    (a WhatsApp id is a phone number, so it is found by the phone too)."""
    if citizen is None:
        return []
    pairs = [("phone", citizen.phone), ("email", citizen.email), ("tc", citizen.tc_kimlik_no)]
    if channel and citizen.handle:
        pairs.append(("handle", account(channel, citizen.handle)))
    if channel and citizen.platform_id:
        pairs.append(("account", account(channel, citizen.platform_id)))
        if channel == "whatsapp" and citizen.platform_id.lstrip("+").isdigit():
            try:
                pairs.append(("phone", normalise_phone("+" + citizen.platform_id.lstrip("+"))))
            except ValueError:
                pass
    return sorted({citizen_key(kind, value, pepper) for kind, value in pairs if value})


def retention_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def scrub_value(key: str, value):
    """One timeline value with personal data removed, at any depth (nested citizen, outbox requests…)."""
    from .redaction import scrub

    if value in (None, "", [], {}):
        return value
    if key in PERSONAL_FIELDS:
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else ANONYMISED_TEXT
    if key in FREE_TEXT_FIELDS:
        return ANONYMISED_TEXT
    if isinstance(value, dict):
        return {k: scrub_value(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_value(key, v) for v in value]
    if isinstance(value, str) and key not in FACT_FIELDS and not key.endswith("_id"):
        return scrub(value)
    return value


def scrub_event_data(data: dict) -> dict:
    return {k: scrub_value(k, v) for k, v in data.items()}
