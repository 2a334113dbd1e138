"""KVKK endpoints and jobs: POST /citizens/erase (admin) and the daily retention run."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint, Rate

from .. import container
from ..domain.errors import InvalidInput
from .http import endpoint, parse_json
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

bp = Blueprint(__name__)


def privacy_store():
    return container.privacy_store()


@endpoint(bp, "/citizens/erase", ["POST"], body="chalicelib.domain.privacy_models:CitizenErase",
          response="chalicelib.domain.privacy_models:ErasureResult")
def erase(principal, request):
    """Anonymise every request of one citizen (by phone, e-mail, TC kimlik no or social account); audited."""
    from ..domain.privacy import normalised_identifiers
    from ..domain.privacy_models import CitizenErase
    from ..usecases.privacy import erase_citizen

    principal.require("admin")
    body = parse_json(request, CitizenErase)
    try:
        ids = normalised_identifiers(body.phone, body.email, body.tc_kimlik_no, platform=body.platform,
                                     handle=body.handle, platform_id=body.platform_id)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if not ids:
        raise InvalidInput(both("api.privacy_identifier"))
    return erase_citizen(container.repository(), privacy_store(), principal, ids, container.pii_pepper(),
                         media=media_store())


def media_store():
    return container.media_store()


@bp.schedule(Rate(1, unit=Rate.DAYS), name="kvkk_retention")
def kvkk_retention(event: Any) -> dict[str, int]:
    from ..observability import count, logger
    from ..usecases.privacy import run_retention

    result = run_retention(container.repository(), privacy_store(), container.settings().retention_days,
                           media=media_store())
    logger().info("kvkk_retention", extra=result)
    count("RequestsAnonymised", result["anonymised"])
    return result
