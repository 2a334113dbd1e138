"""Consent: a citizen who answers STOP / İPTAL gets no more SMS notifications from us.

The marker lives in the requests table (`OPTOUT#<channel>#<HMAC(pepper, address)>`, never the number); outbound calls
`outbound.is_opted_out` before every send. An opt-out never creates a request.
"""
from __future__ import annotations

from typing import Any

from ..domain import turkish
from ..domain.models import utcnow

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "IPTAL", "İPTAL", "DUR"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "BASLAT", "BAŞLAT"})

OPT_OUT_REPLY = ("SMS bildirimleri durduruldu. Yeniden almak için BASLAT yazın. / "
                 "SMS notifications stopped. Reply START to resume.")
OPT_IN_REPLY = ("SMS bildirimleri yeniden açıldı. / SMS notifications resumed.")


def _forms(text: str) -> set[str]:
    word = text.strip().strip(".!?").strip()
    return {word.upper(), turkish.upper(word)}


def is_opt_out_message(text: str | None) -> bool:
    return bool(text) and bool(_forms(text) & OPT_OUT_WORDS)


def is_opt_in_message(text: str | None) -> bool:
    return bool(text) and bool(_forms(text) & OPT_IN_WORDS)


def address_key(kind: str, address: str) -> str:
    """HMAC(pepper, kind:address): a phone number or e-mail never sits in a DynamoDB key (KVKK)."""
    from ..domain.privacy import citizen_key
    from ..settings import get_settings

    return citizen_key(kind, address, get_settings().require_secret("ULAKBEL_PII_PEPPER"))


def marker_pk(channel: str, address: str) -> str:
    """`OPTOUT#<channel>#<HMAC(pepper, channel:address)>`."""
    return f"OPTOUT#{channel}#{address_key('optout:' + channel, address)}"


MARKER_SK = "CONSENT"


def is_opt_out_marker(marker: dict | None) -> bool:
    """A consent marker stops messages unless a later START revoked it."""
    return bool(marker) and not marker.get("revoked")


def opt_out(repo: Any, channel: str, address: str, *, source: str) -> bool:
    """Record the opt-out; True when it is new (a repeated STOP changes nothing)."""
    already = is_opted_out(channel, address, repo)
    if not already:
        repo.put_marker(marker_pk(channel, address), MARKER_SK,
                        {"channel": channel, "opted_out_at": utcnow().isoformat(), "source": source},
                        only_if_new=False)
    return not already


def opt_in(repo: Any, channel: str, address: str) -> None:
    repo.put_marker(marker_pk(channel, address), MARKER_SK,
                    {"channel": channel, "opted_in_at": utcnow().isoformat(), "revoked": True}, only_if_new=False)


def is_opted_out(channel: str, address: str | None, repo: Any) -> bool:
    if not address:
        return False
    return is_opt_out_marker(repo.get_marker(marker_pk(channel, address), MARKER_SK))
