"""The request entity: header, timeline events, its lookup markers and the index keys of the header."""
from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from ...domain.errors import InvalidInput
from ...domain.models import OPEN_STATUSES, Request, Status, TimelineEvent
from ...domain.ports import RecentOpenChange
from .base import REQUEST_PREFIX, from_stored, keyed, request_pk, sortable
from .stored import validate_stored

HEADER_SK = "META"
EVENT_PREFIX = "EVT#"
TRACK_SK = "TRACK"
INBOUND_SK = "INBOUND"
RECENT_OPEN_SK = "RECENT"
RECENT_ATTR_PREFIX = "r_"  # one attribute per request: r_<request id> = received time (sortable)
OPEN311_PUBLIC = "PUBLIC"
DUE = "DUE"
RETAIN = "RETAIN"
EVERYTHING = "ALL"


INDEX_ATTRS = tuple(f"GSI{i}{part}" for i in range(1, 6) for part in ("PK", "SK"))
INDEX_ATTRS += ("RETAINPK", "RETAINSK")  # KVKK retention index (resources.INDEXES "RETAIN")
INDEX_ATTRS += ("O311PK", "O311SK")  # public Open311 list (resources.INDEXES "OPEN311")
SEARCH_ATTR = "srch"  # folded words of the request (console text search, adapters/dynamo_inbox.py)
INDEX_ATTRS += ("ASGPK", "ASGSK", SEARCH_ATTR)  # "assigned to me" (resources.INDEXES "ASSIGNEE") and search


def request_id_of(pk: str) -> str | None:
    """The request id of a request partition key, None for any other item."""
    return pk[len(REQUEST_PREFIX):] if pk.startswith(REQUEST_PREFIX) else None


def is_header(pk: str, sk: str) -> bool:
    return sk == HEADER_SK and pk.startswith(REQUEST_PREFIX)


def is_event(pk: str, sk: str) -> bool:
    return pk.startswith(REQUEST_PREFIX) and sk.startswith(EVENT_PREFIX)


def event_sk(event_id: str) -> str:
    return f"{EVENT_PREFIX}{event_id}"


def dedupe_pk(dedupe_key: str) -> str:
    """`INBOUND#<channel>#<HMAC(pepper, key)>`: provider references can be anything a client sent (an
    Idempotency-Key, a staff-typed reference, a Message-ID with an address in it), so never in the clear."""
    channel = dedupe_key.split("#", 1)[0]
    return f"INBOUND#{channel}#{keyed('dedupe', dedupe_key)}"


def tracking_pk(code: str) -> str:
    return f"TRACK#{code}"


def recent_open_pk(neighbourhood: str, category: str) -> str:
    """The bounded "recent open requests" item of one neighbourhood × category (duplicate clustering)."""
    return f"RECENTOPEN#{neighbourhood}#{category}"


def reply_link_pk(channel: str, message_id: str) -> str:
    """Written by whoever sends a citizen-visible reply: platform message id -> request (attr request_id)."""
    return f"OUTBOUND#{channel}#{message_id}"


REPLY_LINK_SK = "OUTBOUND"


def last_resolved_pk(channel: str, citizen: str) -> str:
    """Last resolved request of a citizen on an unthreaded channel (SMS, WhatsApp). The key is the KVKK
    citizen key (HMAC with the pepper), not the phone: a plain hash of a phone number is reversed by trying all."""
    return f"CITIZEN#{channel}#{keyed(channel, citizen)}"


LAST_RESOLVED_SK = "LAST_RESOLVED"


# The header's listing indexes, most selective first: (index, partition prefix, the header field it lists by).
LISTINGS = (("GSI1", "DEPT#", "department"), ("GSI2", "NBH#", "neighbourhood"), ("GSI3", "STATUS#", "status"))


def assignee_pk(assignee: str) -> str:
    """The sparse ASSIGNEE index ("assigned to me" in the console), written with the header."""
    return f"ASG#{assignee}"


def index_for(q) -> tuple[str, str]:
    """The most selective index of a request query (RequestQuery) and the partition to read in it."""
    for index, prefix, field in LISTINGS:
        if getattr(q, field):
            return index, prefix + getattr(q, field)
    return "GSI5", EVERYTHING


def index_keys(doc: dict[str, Any], received: datetime, due: datetime | None, is_open: bool) -> dict[str, str]:
    """Recomputed on every write so an index can never disagree with the data it indexes."""
    rid = doc["id"]
    when = f"{sortable(received)}#{rid}"
    listed = {"department": doc.get("department"), "status": doc["status"],
              "neighbourhood": (doc.get("location") or {}).get("neighbourhood")}
    keys = {"GSI5PK": EVERYTHING, "GSI5SK": when}
    for index, prefix, field in LISTINGS:
        if listed[field]:
            keys[f"{index}PK"], keys[f"{index}SK"] = prefix + listed[field], when
    if is_open and due is not None:
        keys["GSI4PK"] = DUE
        keys["GSI4SK"] = f"{sortable(due)}#{rid}"
    keys.update(retention_keys(doc, received))
    if doc.get("public") and doc.get("channel") == "mobile_app" and not doc.get("anonymised_at"):
        keys["O311PK"] = OPEN311_PUBLIC  # sparse: an unauthenticated Open311 list reads only these
        keys["O311SK"] = when
    return keys


def retention_keys(doc: dict[str, Any], received: datetime) -> dict[str, str]:
    """Sparse KVKK retention index: only finished requests that still hold personal data, by closing time."""
    from ...domain.privacy import RETENTION_STATUSES

    if doc.get("anonymised_at") or doc.get("status") not in RETENTION_STATUSES:
        return {}
    closed = doc.get("resolved_at") or doc.get("updated_at")
    when = datetime.fromisoformat(closed.replace("Z", "+00:00")) if isinstance(closed, str) else received
    return {"RETAINPK": RETAIN, "RETAINSK": f"{sortable(when)}#{doc['id']}"}


def inbox_attrs(doc: dict[str, Any], received) -> dict[str, str]:
    """Written on the request header at every write (so they never disagree with it): the sparse ASSIGNEE
    index (ASG#<assignee> / <received>#<id>) and the folded search words."""
    from ...domain.inbox import search_field

    attrs = {SEARCH_ATTR: search_field(doc.get("text") or "", doc.get("tracking_code"))}
    if doc.get("assignee"):
        attrs.update({"ASGPK": assignee_pk(doc["assignee"]), "ASGSK": f"{sortable(received)}#{doc['id']}"})
    return attrs


# -- item ⇄ model --------------------------------------------------------------------------------------
def header_item(request) -> dict[str, Any]:
    doc = request.model_dump(mode="json", exclude={"timeline", "duplicate_count"}, exclude_none=True)
    item = {"PK": request_pk(request.id), "SK": HEADER_SK, **doc}
    item["nbh"] = (request.location.neighbourhood if request.location else None)
    item.update(index_keys(doc, request.received_at, request.due_at, request.is_open))
    item.update(inbox_attrs(doc, request.received_at))  # console: assignee index, search words
    return item


def event_item(request_id: str, event) -> dict[str, Any]:
    return {"PK": request_pk(request_id), "SK": event_sk(event.id), **event.model_dump(mode="json")}


def request_from_item(item: dict[str, Any]) -> Request:
    doc = {k: v for k, v in from_stored(item).items() if k not in ("PK", "SK", *INDEX_ATTRS)}
    return validate_stored(Request, doc)


def event_from_item(item: dict[str, Any]) -> TimelineEvent:
    return validate_stored(TimelineEvent, from_stored(item))


def request_from_partition(items: list[dict[str, Any]]):
    """A request with its timeline (time-ordered) from every item of its partition; None without a header."""
    header = next((i for i in items if i["SK"] == HEADER_SK), None)
    if header is None:
        return None
    request = request_from_item(header)
    events = [event_from_item(i) for i in items if is_event(i["PK"], i["SK"])]
    request.timeline = sorted(events, key=lambda e: e.id)
    request.duplicate_count = sum(1 for e in events if e.type == "duplicate_linked")
    return request


def tracking_item(code: str, request_id: str) -> dict[str, Any]:
    return {"PK": tracking_pk(code), "SK": TRACK_SK, "request_id": request_id}


def dedupe_item(dedupe_key: str, request_id: str) -> dict[str, Any]:
    return {"PK": dedupe_pk(dedupe_key), "SK": INBOUND_SK, "request_id": request_id}


def creation_items(request: Request, dedupe_key: str | None) -> list[dict[str, Any]]:
    """A new request's items, in the order its transaction writes them: header, tracking code, dedupe
    marker (when the channel has a reference), first events, and the KVKK citizen lookup markers."""
    from .privacy import citizen_markers

    items = [header_item(request), tracking_item(request.tracking_code, request.id)]
    if dedupe_key:
        items.append(dedupe_item(dedupe_key, request.id))
    return items + [event_item(request.id, e) for e in request.timeline] + citizen_markers(request)


def recent_open_item(neighbourhood: str, category: str, entries: dict[str, datetime]) -> dict[str, Any]:
    return {"PK": recent_open_pk(neighbourhood, category), "SK": RECENT_OPEN_SK,
            **{RECENT_ATTR_PREFIX + rid: sortable(at) for rid, at in entries.items()}}


def recent_open_entries(item: dict[str, Any]) -> dict[str, datetime]:
    from .base import parse_datetime

    return {attr[len(RECENT_ATTR_PREFIX):]: parse_datetime(value) for attr, value in item.items()
            if attr.startswith(RECENT_ATTR_PREFIX) and isinstance(value, str)}


def reply_link_item(channel: str, message_id: str, request_id: str) -> dict[str, Any]:
    return {"PK": reply_link_pk(channel, message_id), "SK": REPLY_LINK_SK, "request_id": request_id}


def last_resolved_item(channel: str, citizen: str, request_id: str, resolved_at: datetime) -> dict[str, Any]:
    return {"PK": last_resolved_pk(channel, citizen), "SK": LAST_RESOLVED_SK, "request_id": request_id,
            "resolved_at": sortable(resolved_at)}


# -- what a save implies, and where a query page ends ---------------------------------------------------
def closing_change(request: Request) -> RecentOpenChange | None:
    """A request that is no longer open leaves its neighbourhood × category recent-open item."""
    if request.status in OPEN_STATUSES or request.status is Status.duplicate:
        return None  # a linked duplicate was never an entry; merged ones are dropped at the next look-up
    nbh = request.location.neighbourhood if request.location else None
    if not (nbh and request.category):
        return None
    return RecentOpenChange(neighbourhood=nbh, category=request.category, drop=(request.id,))


def encode_cursor(index: str, key: dict[str, Any]) -> str:
    raw = json.dumps({"i": index, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, index: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        if data["i"] != index or not isinstance(data["k"], dict):
            raise ValueError
        return data["k"]
    except Exception:
        raise InvalidInput(
            "'next' geçersiz; önceki yanıttaki değeri aynen kullanın / 'next' is not a cursor from this query"
        ) from None
