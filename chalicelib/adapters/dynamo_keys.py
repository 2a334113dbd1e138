"""Key builders for the single-table design (see README "Data model"). Pure functions, unit-tested."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

HEADER_SK = "META"


def sortable(dt: datetime) -> str:
    """Fixed-width UTC timestamp: lexicographic order equals time order."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def request_pk(request_id: str) -> str:
    return f"REQ#{request_id}"


def event_sk(event_id: str) -> str:
    return f"EVT#{event_id}"


def dedupe_pk(dedupe_key: str) -> str:
    """`INBOUND#<channel>#<HMAC(pepper, key)>`: provider references can be anything a client sent (an
    Idempotency-Key, a staff-typed reference, a Message-ID with an address in it), so never in the clear."""
    from ..domain.privacy import citizen_key
    from .pepper import pepper

    channel = dedupe_key.split("#", 1)[0]
    return f"INBOUND#{channel}#{citizen_key('dedupe', dedupe_key, pepper())}"


def tracking_pk(code: str) -> str:
    return f"TRACK#{code}"


def task_claim_pk(task_id: str) -> str:
    return f"TASKCLAIM#{task_id}"


def recent_open_pk(neighbourhood: str, category: str) -> str:
    """The bounded "recent open requests" item of one neighbourhood × category (duplicate clustering)."""
    return f"RECENTOPEN#{neighbourhood}#{category}"


RECENT_OPEN_SK = "RECENT"
RECENT_ATTR_PREFIX = "r_"  # one attribute per request: r_<request id> = received time (sortable)


def index_keys(doc: dict[str, Any], received: datetime, due: datetime | None, is_open: bool) -> dict[str, str]:
    """Recomputed on every write so an index can never disagree with the data it indexes."""
    rid = doc["id"]
    when = f"{sortable(received)}#{rid}"
    keys = {"GSI3PK": f"STATUS#{doc['status']}", "GSI3SK": when, "GSI5PK": "ALL", "GSI5SK": when}
    if doc.get("department"):
        keys["GSI1PK"] = f"DEPT#{doc['department']}"
        keys["GSI1SK"] = when
    nbh = (doc.get("location") or {}).get("neighbourhood")
    if nbh:
        keys["GSI2PK"] = f"NBH#{nbh}"
        keys["GSI2SK"] = when
    if is_open and due is not None:
        keys["GSI4PK"] = "DUE"
        keys["GSI4SK"] = f"{sortable(due)}#{rid}"
    keys.update(retention_keys(doc, received))
    if doc.get("public") and doc.get("channel") == "mobile_app" and not doc.get("anonymised_at"):
        keys["O311PK"] = OPEN311_PUBLIC  # sparse: an unauthenticated Open311 list reads only these
        keys["O311SK"] = when
    return keys


OPEN311_PUBLIC = "PUBLIC"


def retention_keys(doc: dict[str, Any], received: datetime) -> dict[str, str]:
    """Sparse KVKK retention index: only finished requests that still hold personal data, by closing time."""
    from ..domain.privacy import RETENTION_STATUSES

    if doc.get("anonymised_at") or doc.get("status") not in RETENTION_STATUSES:
        return {}
    closed = doc.get("resolved_at") or doc.get("updated_at")
    when = datetime.fromisoformat(closed.replace("Z", "+00:00")) if isinstance(closed, str) else received
    return {"RETAINPK": "RETAIN", "RETAINSK": f"{sortable(when)}#{doc['id']}"}


INDEX_ATTRS = tuple(f"GSI{i}{part}" for i in range(1, 6) for part in ("PK", "SK"))


# -- department workflow markers (reply threading, reopen) ---------------------------------------------
def outbound_pk(channel: str, message_id: str) -> str:
    """Written by whoever sends a citizen-visible reply: platform message id -> request (attr request_id)."""
    return f"OUTBOUND#{channel}#{message_id}"


OUTBOUND_SK = "OUTBOUND"


def citizen_pk(channel: str, citizen_key: str) -> str:
    """Last resolved request of a citizen on an unthreaded channel (SMS, WhatsApp). The key is the KVKK
    citizen key (HMAC with the pepper), not the phone: a plain hash of a phone number is reversed by trying all."""
    from ..domain.privacy import citizen_key as keyed
    from .pepper import pepper

    return f"CITIZEN#{channel}#{keyed(channel, citizen_key, pepper())}"


CITIZEN_RESOLVED_SK = "LAST_RESOLVED"
INDEX_ATTRS += ("RETAINPK", "RETAINSK")  # KVKK retention index (resources.INDEXES "RETAIN")
INDEX_ATTRS += ("O311PK", "O311SK")  # public Open311 list (resources.INDEXES "OPEN311")
SEARCH_ATTR = "srch"  # folded words of the request (console text search, adapters/dynamo_inbox.py)
INDEX_ATTRS += ("ASGPK", "ASGSK", SEARCH_ATTR)  # "assigned to me" (resources.INDEXES "ASSIGNEE") and search
