"""/console/poll/replies: the inbox's live check for citizens' replies (issue 19), on any request the caller
may see — their department's, or every department's for admins, agents and viewers — not only the rows shown.

GET ?after=<ISO 8601>[&ids=<id>,<id>… (at most 50, the rows on screen)] → {"replied": [{id, tracking_code, at,
channel, shown}], "count": n, "now": <ISO 8601>}; `shown`: the request is among `ids`. The page asks again
with `after=now`. Cookie or bearer auth, staff roles."""
from __future__ import annotations

from datetime import datetime, timezone

from chalice import Blueprint

from .. import container
from ..domain.errors import InvalidInput
from .http import endpoint, query_params
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

bp = Blueprint(__name__)


@endpoint(bp, "/console/poll/replies", cookie_auth=True)
def poll_replies(principal, request):
    from ..usecases.console_live import MAX_IDS, new_replies

    params = query_params(request)
    now = datetime.now(timezone.utc)
    raw = params.get("after") or ""
    try:
        after = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+")) if raw else now
    except ValueError:
        raise InvalidInput(both("err.after")) from None
    if after.tzinfo is None:
        after = after.replace(tzinfo=timezone.utc)
    ids = [i.strip() for i in (params.get("ids") or "").split(",") if i.strip()]
    if len(ids) > MAX_IDS or any(len(i) > 40 or not i.isalnum() for i in ids):
        raise InvalidInput(both("api.poll_ids", n=MAX_IDS))
    shown = set(ids)
    replied = [{**r, "shown": r["id"] in shown} for r in new_replies(container.repository(), principal, after)]
    return {"replied": replied, "count": len(replied), "now": now.isoformat()}
