"""Secrets Manager through Powertools Parameters: the one place a secret value is fetched (cached, max_age)."""
from __future__ import annotations

from ..observability import logger


def fetch_secret(secret_id: str, *, max_age: int) -> str | None:
    """The secret's string value, cached by Powertools for max_age seconds; None when it cannot be read
    (the caller turns that into a ConfigurationError or a refused signature, never a constant)."""
    try:
        from aws_lambda_powertools.utilities import parameters

        return parameters.get_secret(secret_id, max_age=max_age) or None
    except Exception as exc:  # missing secret, no permission, throttled: say which, never the value
        logger().error("secret unavailable", extra={"secret_id": secret_id, "error": type(exc).__name__})
        return None
