"""The live inbox's reply feed (issue 19): one small item per citizen reply, in the request's department's
partition and in the all-departments one, written in the same transaction as the reply's timeline event.

Why: the console polls "which requests I may see got a citizen's reply since my last poll" — one Query of
one partition (sort key after the last poll), never a Scan and never a read of the requests on screen only.
Items expire (TTL) after REPLY_FEED_DAYS: the feed is for live notices, the timeline keeps the history."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .base import sortable

CITIZEN_EVENTS = ("citizen_reply", "citizen_message")  # what a citizen says on an existing request
EVERY_DEPARTMENT = "ALL"  # admins, agents and viewers read this partition (department codes are lower case)
REPLY_FEED_DAYS = 14


def reply_feed_pk(department: str | None) -> str:
    """`REPLYFEED#<department>`; None: every department's (`REPLYFEED#ALL`)."""
    return f"REPLYFEED#{department or EVERY_DEPARTMENT}"


def reply_feed_sk(at: datetime, event_id: str) -> str:
    return f"{sortable(at)}#{event_id}"


def after_sk(after: datetime) -> str:
    """The smallest sort key strictly after `after` (ids are Crockford base32: '~' sorts after them all)."""
    return f"{sortable(after)}#~"


def reply_feed_items(request, events) -> list[dict[str, Any]]:
    """The feed items of a save's new events: two per citizen reply (department, all), none otherwise."""
    out: list[dict[str, Any]] = []
    for event in events:
        if event.type not in CITIZEN_EVENTS:
            continue
        attrs = {"request_id": request.id, "tracking_code": request.tracking_code, "at": event.at.isoformat(),
                 "channel": (event.data or {}).get("channel"), "department": request.department,
                 "expires_at": int((event.at + timedelta(days=REPLY_FEED_DAYS)).timestamp())}
        attrs = {k: v for k, v in attrs.items() if v is not None}  # a request not routed yet has no department
        for partition in dict.fromkeys((None, request.department)):
            out.append({"PK": reply_feed_pk(partition), "SK": reply_feed_sk(event.at, event.id), **attrs})
    return out


def reply_from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {"request_id": item["request_id"], "tracking_code": item.get("tracking_code"), "at": item["at"],
            "channel": item.get("channel"), "department": item.get("department")}
