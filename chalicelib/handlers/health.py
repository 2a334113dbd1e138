from __future__ import annotations

from chalice import Blueprint

from .. import container
from .http import endpoint, json_response

bp = Blueprint(__name__)


@endpoint(bp, "/health", auth=False)
def health(principal, request):
    """ok, or 503 naming the settings this function reads and cannot get (deployed stages: a missing or
    unreadable secret is reported here, never replaced by a constant). Names only, never values."""
    s = container.settings()
    problems = s.configuration_problems("api_handler")
    body = {"status": "misconfigured" if problems else "ok", "service": "ulakbel", "stage": s.stage}
    if problems:
        return json_response({**body, "missing": problems}, 503)
    return body
