"""The PII pepper (ULAKBEL_PII_PEPPER) of the adapters that key citizens, rate limits and inbound references
by HMAC (KVKK: no phone, e-mail or provider reference in a DynamoDB key).

Adapters never import the composition root: chalicelib/container.py provides the pepper here when it is
imported (so a test's `container.override("settings", …)` holds for the adapters too); without a provider,
the process's one settings model answers.
"""
from __future__ import annotations

from typing import Callable

_provider: Callable[[], str] | None = None


def provide(source: Callable[[], str]) -> None:
    global _provider
    _provider = source


def pepper() -> str:
    """A dev value only on local/test; elsewhere from Secrets Manager, else ConfigurationError (HTTP 503)."""
    if _provider is not None:
        return _provider()
    from ..settings import get_settings

    return get_settings().require_secret("ULAKBEL_PII_PEPPER")
