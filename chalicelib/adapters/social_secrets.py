"""Channel secrets: environment first (local, tests), then Secrets Manager via powertools Parameters."""
from __future__ import annotations

import os

from ..observability import logger


def secret(name: str) -> str | None:
    value = os.environ.get(name)
    if value:
        return value
    from ..settings import get_settings

    stage = get_settings().stage
    if stage == "local":
        return None
    try:
        from aws_lambda_powertools.utilities import parameters

        return parameters.get_secret(f"ulakbel/{stage}/{name}", max_age=300) or None
    except Exception as exc:  # a missing secret means "cannot verify" → 401, never a 5xx
        logger().warning("secret unavailable", extra={"secret": name, "error": type(exc).__name__})
        return None
