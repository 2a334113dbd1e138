"""Live inbox (issue 19): which of the requests on a staff member's screen got a citizen's reply since a time.

The inbox already learns about new requests (`console.count_newer`); a citizen answering an existing request
(an SMS/WhatsApp/e-mail reply that reopens it, `reopen.try_reopen`) adds a `citizen_reply` event and bumps the
header's `updated_at`. So: one batched read of the shown rows' headers, and the timeline only of those that
changed since `after` — a quiet inbox costs one BatchGetItem per poll.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..auth import Principal

CITIZEN_EVENTS = ("citizen_reply", "citizen_message")
MAX_IDS = 50  # two inbox pages; a poll never reads more


def citizen_replies(repo, principal: Principal, request_ids: list[str], after: datetime) -> list[dict[str, Any]]:
    """[{id, at, channel}] for each visible request among `request_ids` whose citizen wrote after `after`
    (the newest such message), in the order asked."""
    principal.require("admin", "agent", "viewer", "department")
    wanted = list(dict.fromkeys(i for i in request_ids if i))[:MAX_IDS]
    changed = [h for h in repo.get_headers(wanted)
               if principal.can_see_department(h.department) and h.updated_at and h.updated_at > after]
    out = []
    for header in changed:
        request = repo.get(header.id)
        if request is None:
            continue
        said = [e for e in request.timeline if e.type in CITIZEN_EVENTS and e.at > after]
        if said:
            last = max(said, key=lambda e: e.at)
            out.append({"id": request.id, "at": last.at.isoformat(), "channel": (last.data or {}).get("channel")})
    return out
