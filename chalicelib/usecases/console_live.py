"""Live inbox (issue 19): which requests the staff member may see got a citizen's reply since their last poll —
on any page, not only the rows on screen.

A citizen answering an existing request (an SMS/WhatsApp/e-mail reply that reopens it, `reopen.try_reopen`)
adds a `citizen_reply` event; the same transaction writes an entry in the reply feed of the request's
department and of every department (adapters/schema/replies.py). A poll is one Query of the caller's feed
partition (their department, or all for admins, agents and viewers) and, only when something is new, one
batched read of those requests' headers to drop any the caller may no longer see (forwarded meanwhile).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..auth import Principal

CITIZEN_EVENTS = ("citizen_reply", "citizen_message")
MAX_IDS = 50  # rows a poll may name (the rows on screen: two inbox pages)
MAX_REPLIES = 50  # replies one poll reports (newest first); more since the last poll are not listed


def new_replies(repo, principal: Principal, after: datetime, limit: int = MAX_REPLIES) -> list[dict[str, Any]]:
    """[{id, tracking_code, at, channel}]: each visible request whose citizen wrote after `after`, newest reply
    first, once per request. A department member reads only their department's feed."""
    principal.require("admin", "agent", "viewer", "department")
    if principal.role == "department":
        if not principal.department:
            return []
        entries = repo.citizen_replies_since(principal.department, after, limit)
    else:
        entries = repo.citizen_replies_since(None, after, limit)
    newest: dict[str, dict[str, Any]] = {}
    for e in entries:  # newest first: the first entry of a request is its latest reply
        newest.setdefault(e["request_id"], e)
    if not newest:
        return []
    visible = {h.id: h for h in repo.get_headers(list(newest)) if principal.can_see_department(h.department)}
    return [{"id": rid, "tracking_code": visible[rid].tracking_code, "at": e["at"], "channel": e.get("channel")}
            for rid, e in newest.items() if rid in visible]
