"""What every console page shares: the blueprint, HTML responses with the security headers, the CSRF token
bound to the session, form parsing and the template context."""
from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qs

from chalice import Blueprint, Response

from ...domain.errors import Forbidden
from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..staff_session import csrf_basis

bp = Blueprint("chalicelib.handlers.console")  # one blueprint for every console page (app.py registers it)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def html(body: str, status: int = 200, headers: dict[str, Any] | None = None) -> Response:
    return Response(body=body, status_code=status, headers={
        "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", **SECURITY_HEADERS,
        **(headers or {})})


def redirect(location: str, headers: dict[str, Any] | None = None) -> Response:
    return Response(body="", status_code=303, headers={"Location": location, "Cache-Control": "no-store",
                                                       **(headers or {})})


def render(template: str, **context: Any) -> str:
    from ...web.render import render as _render

    return _render(template, **context)


def page_error(status: int, code: str, message: str) -> Response:
    if status == 401:
        return redirect("/console/login")
    return html(render("error.html", principal=None, message=message), status)


def csrf_for(session: str) -> str:
    return hmac.new(session.encode(), b"ulakbel-console-csrf", hashlib.sha256).hexdigest()


def form(request) -> dict[str, str]:
    raw = (request.raw_body or b"").decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}


def check_csrf(request, data: dict[str, str]) -> None:
    session = csrf_basis(request)
    given = data.get("csrf", "")
    if not session or not given or not hmac.compare_digest(given, csrf_for(session)):
        raise Forbidden(both("err.csrf"))


def context(principal, request, **extra: Any) -> dict[str, Any]:
    return {"principal": principal, "csrf": csrf_for(csrf_basis(request)), **extra}
