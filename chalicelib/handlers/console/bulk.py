"""Bulk actions on the inbox's selected rows."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from ... import container
from ..http import endpoint
from .inbox import INBOX_PARAMS
from .page import bp, check_csrf, page_error, redirect


@endpoint(bp, "/console/bulk", ["POST"], cookie_auth=True, on_error=page_error)
def bulk_action(principal, request):
    """Selected inbox rows → assign / change status / forward, one use case call per request."""
    from ...usecases.console import bulk

    raw = (request.raw_body or b"").decode("utf-8", errors="replace")
    multi = parse_qs(raw, keep_blank_values=True)
    data = {k: v[0] for k, v in multi.items()}
    check_csrf(request, data)
    action = data.get("action", "")
    value = data.get({"assign": "assignee", "status": "status", "forward": "department"}.get(action, "_"), "").strip()
    result = bulk(container.repository(), container.task_queue(), principal, multi.get("id", []), action, value,
                  (data.get("note") or "").strip() or None)
    back = data.get("back", "")
    keep = parse_qs(back[len("/console?"):]) if back.startswith("/console?") else {}
    query = {k: v[0] for k, v in keep.items() if k in INBOX_PARAMS}
    query.update({"bulk_done": len(result["done"]), "bulk_failed": len(result["failed"])})
    return redirect("/console?" + urlencode(query))
