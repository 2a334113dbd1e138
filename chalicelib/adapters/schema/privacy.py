"""KVKK items: the pseudonymous citizen lookup, the deletion log, the erasure audit trail and consent."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .base import keyed, pepper, request_pk, sortable


CONSENT_SK = "CONSENT"


def citizen_pk(key: str) -> str:
    return f"CITIZEN#{key}"


def citizen_marker(key: str, request_id: str) -> dict[str, Any]:
    return {"PK": citizen_pk(key), "SK": request_pk(request_id), "request_id": request_id}


def citizen_markers(request) -> list[dict[str, Any]]:
    """Items `CITIZEN#<hmac>` / `REQ#<id>`: one per identifier of the citizen; no personal data in them."""
    from ...domain.privacy import citizen_keys

    if request.citizen is None:
        return []
    return [citizen_marker(k, request.id) for k in citizen_keys(request.citizen, pepper(), request.channel.value)]


def citizen_marker_key(key: str, request_id: str) -> tuple[str, str]:
    return citizen_pk(key), request_pk(request_id)


def deletion_log_pk(month: datetime) -> str:
    return f"KVKKLOG#{month:%Y-%m}"


def deletion_log_item(request_id: str, *, reason: str, actor: str, at: datetime, channel: str,
                      keep_years: int) -> dict[str, Any]:
    return {"PK": deletion_log_pk(at), "SK": f"{sortable(at)}#{request_id}", "request_id": request_id,
            "reason": reason, "actor": actor, "at": at.isoformat(), "channel": channel,
            "expires_at": int((at + timedelta(days=365 * keep_years + 31)).timestamp())}


def audit_pk(kind: str) -> str:
    return f"AUDIT#{kind}"


def audit_item(kind: str, actor: str, at: datetime, unique: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"PK": audit_pk(kind), "SK": f"{sortable(at)}#{unique}", "actor": actor, "at": at.isoformat(), **data}


def opt_out_pk(channel: str, address: str) -> str:
    """`OPTOUT#<channel>#<HMAC(pepper, optout:channel:address)>`."""
    return f"OPTOUT#{channel}#{keyed('optout:' + channel, address)}"


def opt_out_key(channel: str, address: str) -> tuple[str, str]:
    return opt_out_pk(channel, address), CONSENT_SK
