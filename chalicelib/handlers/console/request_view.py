"""One request's page: its conversation, map, reply box with the channel's limit, canned replies, staff pickers
and merge suggestions."""
from __future__ import annotations

from datetime import datetime, timezone

from ... import container
from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..http import endpoint, lazy, query_params
from .page import bp, context, html, page_error, render
from .pickers import conversation_labels

requests_usecase = lazy("chalicelib.usecases.requests")  # imported on first use (cold start)

FLASH = {k: f"flash.{k}" for k in ("status", "note", "assign", "forward", "merge", "reply")}  # domain/strings.yaml


def _flash(ok: str | None) -> str | None:
    return both(FLASH[ok]) if ok in FLASH else None


def _reply_limits(found) -> tuple[str, int | None, bool]:
    """(what the reply goes through, its length limit, whether it is an SMS) for the reply box."""
    from ...domain.outbound import NoRoute, reply_route
    from ...usecases.outbound import MAX_TEXT, SMS_ROUTES

    try:
        route, _, _ = reply_route(found, False)
    except NoRoute as exc:
        return f"{both('req.manual_route')}: {exc}", None, False
    return f"{both('req.route')}: {route}", MAX_TEXT.get(route), route in SMS_ROUTES


@endpoint(bp, "/console/requests/{request_id}", cookie_auth=True, on_error=page_error)
def request_page(principal, request, request_id):
    from ...domain.identity import identity
    from ...usecases.console import is_overdue, merge_suggestions, next_statuses
    from ...web.canned import canned_replies, institutions, placeholders
    from ...web.conversation import conversation
    from ...web.render import department_labels, fmt_time, map_points

    found = requests_usecase.visible_request(container.repository(), principal, request_id)
    doc = requests_usecase.present(found, principal)
    loc = found.location
    the_map = map_points(highlight=loc.neighbourhood if loc else None,
                         point=(loc.lat, loc.long) if loc and loc.lat is not None else None)
    can_act = principal.role != "viewer"
    staff = container.staff_directory().members(found.department) if found.department and can_act else []
    route_label, limit, sms = _reply_limits(found)
    dept_name = department_labels().get(found.department or "", identity().name)
    canned = canned_replies(found.department, placeholders(doc, dept_name, fmt_time(found.due_at)[:10]))
    ok = query_params(request).get("ok")
    return html(render("request.html", **context(
        principal, request, active="inbox", r=doc, map=the_map, overdue=is_overdue(found, datetime.now(timezone.utc)),
        next_statuses=next_statuses(found), can_act=can_act, convo=conversation(doc, conversation_labels()),
        staff=staff, staff_names={m["sub"]: m["name"] for m in staff}, institutions=institutions(),
        suggestions=merge_suggestions(container.repository(), principal, found) if can_act else [],
        canned=canned if can_act else [], reply_limit=limit, reply_sms=sms, reply_route_label=route_label,
        flash=_flash(ok))))
