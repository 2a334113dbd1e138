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
# Statuses whose personal data the retention job removes once they are older than the retention period.
RETENTION_STATUSES = ("closed", "rejected", "duplicate")
# Timeline event data fields that may carry free text written by or about the citizen.
FREE_TEXT_FIELDS = ("note", "text", "body", "message", "reply", "comment", "subject", "channel_ref")
DELETION_LOG_YEARS = 3


DEV_PEPPER = "local-dev-pepper-not-secret"
DEV_STAGES = ("local", "test", "dev")


def pepper_for(stage: str, configured: str | None) -> str:
    """The configured pepper; a fixed development value on the local/test/dev stages only."""
    if configured:
        return configured
    if stage in DEV_STAGES:
        return DEV_PEPPER
    raise RuntimeError("ULAKBEL_PII_PEPPER is not set: citizen lookup keys cannot be computed")


def citizen_key(kind: str, value: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:40]


def normalised_identifiers(phone: str | None = None, email: str | None = None,
                           tc_kimlik_no: str | None = None) -> list[tuple[str, str]]:
    """(kind, normalised value) pairs; raises ValueError with a clear message for a malformed one."""
    out = []
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


def citizen_keys(citizen, pepper: str) -> list[str]:
    """Keys of a stored Citizen (already normalised by the model)."""
    if citizen is None:
        return []
    pairs = [("phone", citizen.phone), ("email", citizen.email), ("tc", citizen.tc_kimlik_no)]
    return sorted({citizen_key(kind, value, pepper) for kind, value in pairs if value})


def retention_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def scrub_event_data(data: dict) -> dict:
    return {k: (ANONYMISED_TEXT if k in FREE_TEXT_FIELDS and v else v) for k, v in data.items()}
