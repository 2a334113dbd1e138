"""The unified inbox (/console): filters from the query string, one page of requests, and the poll for new ones."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlencode

from ... import container
from ...domain.errors import InvalidInput
from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..http import endpoint, lazy, query_params
from .page import bp, context, html, page_error, render
from .pickers import bulk_staff

models = lazy("chalicelib.domain.models")  # imported on first use (cold start)


def _enum(params: dict[str, str], name: str, enum) -> str | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return enum(value).value
    except ValueError:
        raise InvalidInput(both("err.invalid_value", name=name)) from None


def inbox_filters(params: dict[str, str]):
    from ...usecases.console import InboxFilters

    sort = params.get("sort") or "new"
    if sort not in ("new", "old", "due"):
        raise InvalidInput(both("err.sort"))
    return InboxFilters(
        channel=_enum(params, "channel", models.Channel), status=_enum(params, "status", models.Status),
        kind=_enum(params, "kind", models.Kind), department=params.get("department") or None,
        neighbourhood=params.get("neighbourhood") or None, category=params.get("category") or None,
        q=(params.get("q") or "").strip()[:200] or None, sort=sort, overdue=params.get("overdue") == "1",
        mine=params.get("mine") == "1", next=params.get("next") or None)


INBOX_PARAMS = ("channel", "department", "status", "kind", "neighbourhood", "category", "q", "sort", "overdue", "mine")


@endpoint(bp, "/console", cookie_auth=True, on_error=page_error)
def inbox_page(principal, request):
    from ...understanding import neighbourhoods
    from ...understanding.text import collation_key
    from ...usecases.console import inbox

    params = query_params(request)
    f = inbox_filters(params)
    page = inbox(container.repository(), principal, f)
    keep = {k: v for k, v in params.items() if v and k in INBOX_PARAMS}
    next_url = "/console?" + urlencode({**keep, "next": page.next}) if page.next else None
    flash = None
    if params.get("bulk_done", "").isdigit():
        flash = both("flash.bulk", done=params["bulk_done"], failed=params.get("bulk_failed", "0"))
    return html(render("inbox.html", **context(
        principal, request, active="inbox", f=f, items=page.items, next_url=next_url, flash=flash,
        flash_kind="error" if params.get("bulk_failed", "0") not in ("", "0") else None,
        bulk_staff=bulk_staff(principal), can_act=principal.role != "viewer", first_page=not f.next,
        newest=page.newest or datetime.now(timezone.utc).isoformat(),
        request_url="/console?" + urlencode(keep),
        neighbourhood_names=sorted((n["name"] for n in neighbourhoods()), key=collation_key))))


@endpoint(bp, "/console/poll", cookie_auth=True)
def poll(principal, request):
    from ...usecases.console import count_newer

    raw = query_params(request).get("after") or ""
    try:
        after = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise InvalidInput(both("err.after")) from None
    if after.tzinfo is None:
        after = after.replace(tzinfo=timezone.utc)
    return {"new_count": count_newer(container.repository(), principal, after)}
