"""/console/poll/replies: the inbox's live check for citizens' replies on the rows it shows (issue 19).

GET ?after=<ISO 8601>&ids=<id>,<id>… (at most 50) → {"replied": [{id, at, channel}], "now": <ISO 8601>}; the
page asks again with `after=now`. Cookie or bearer auth, staff roles; only requests the caller may see."""
from __future__ import annotations

from datetime import datetime, timezone

from chalice import Blueprint

from .. import container
from ..domain.errors import InvalidInput
from .http import endpoint, query_params

bp = Blueprint(__name__)


@endpoint(bp, "/console/poll/replies", cookie_auth=True)
def poll_replies(principal, request):
    from ..usecases.console_live import MAX_IDS, citizen_replies

    params = query_params(request)
    now = datetime.now(timezone.utc)
    raw = params.get("after") or ""
    try:
        after = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+")) if raw else now
    except ValueError:
        raise InvalidInput("'after' ISO 8601 olmalı / 'after' must be ISO 8601") from None
    if after.tzinfo is None:
        after = after.replace(tzinfo=timezone.utc)
    ids = [i.strip() for i in (params.get("ids") or "").split(",") if i.strip()]
    if len(ids) > MAX_IDS or any(len(i) > 40 or not i.isalnum() for i in ids):
        raise InvalidInput(f"'ids' en çok {MAX_IDS} talep kimliği / 'ids' takes at most {MAX_IDS} request ids")
    replied = citizen_replies(container.repository(), principal, ids, after) if ids else []
    return {"replied": replied, "now": now.isoformat()}
