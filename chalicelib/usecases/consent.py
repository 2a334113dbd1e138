"""Consent: a citizen who answers STOP / İPTAL gets no more SMS notifications from us.

The consent marker lives in the requests table (keyed by an HMAC of the address, never the number); outbound calls
`outbound.is_opted_out` before every send. An opt-out never creates a request.
"""
from __future__ import annotations

from typing import Any

from ..domain import turkish
from ..domain.models import utcnow
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "IPTAL", "İPTAL", "DUR"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "BASLAT", "BAŞLAT"})


def opt_out_reply() -> str:
    """The SMS answer to STOP/İPTAL (domain/strings.yaml), Turkish first."""
    return both("api.sms_opt_out")


def opt_in_reply() -> str:
    return both("api.sms_opt_in")


def _forms(text: str) -> set[str]:
    word = text.strip().strip(".!?").strip()
    return {word.upper(), turkish.upper(word)}


def is_opt_out_message(text: str | None) -> bool:
    return bool(text) and bool(_forms(text) & OPT_OUT_WORDS)


def is_opt_in_message(text: str | None) -> bool:
    return bool(text) and bool(_forms(text) & OPT_IN_WORDS)


def is_opt_out_marker(marker: dict | None) -> bool:
    """A consent marker stops messages unless a later START revoked it."""
    return bool(marker) and not marker.get("revoked")


def opt_out(repo: Any, channel: str, address: str, *, source: str) -> bool:
    """Record the opt-out; True when it is new (a repeated STOP changes nothing)."""
    already = is_opted_out(channel, address, repo)
    if not already:
        repo.record_consent(channel, address, {"opted_out_at": utcnow().isoformat(), "source": source})
    return not already


def opt_in(repo: Any, channel: str, address: str) -> None:
    repo.record_consent(channel, address, {"opted_in_at": utcnow().isoformat(), "revoked": True})


def is_opted_out(channel: str, address: str | None, repo: Any) -> bool:
    if not address:
        return False
    return is_opt_out_marker(repo.consent(channel, address))
