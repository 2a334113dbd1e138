from __future__ import annotations

from chalice import Blueprint

from .. import container
from .http import endpoint, json_response

bp = Blueprint(__name__)


def _municipality_problems() -> list[str]:
    """The municipality's folder (ULAKBEL_MUNICIPALITY) must be there and its identity and departments load;
    the full check is `ulakbel check-config` (run by synthesis and by `ulakbel dev` before they start)."""
    from ..domain.departments import municipality

    try:
        municipality()
    except Exception as exc:  # noqa: BLE001 - any failure here is a configuration problem to name, not a 500
        first = str(exc).splitlines()[0][:300]
        return [f"ULAKBEL_MUNICIPALITY ({first})"]
    return []


@endpoint(bp, "/health", auth=False)
def health(principal, request):
    """ok, or 503 naming the settings this function reads and cannot get (deployed stages: a missing or
    unreadable secret is reported here, never replaced by a constant). Names only, never values."""
    s = container.settings()
    problems = s.configuration_problems("api_handler") + _municipality_problems()
    body = {"status": "misconfigured" if problems else "ok", "service": "ulakbel", "stage": s.stage}
    if problems:
        return json_response({**body, "missing": problems}, 503)
    return body
