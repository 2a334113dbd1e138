"""Lazily created boto3 clients. Nothing here runs at import time (cold starts, moto)."""
from __future__ import annotations

import threading
from typing import Any

_lock = threading.RLock()
_clients: dict[str, Any] = {}


def client(service: str) -> Any:
    """One client per service per process; AWS_ENDPOINT_URL (moto locally) is honoured by boto3 itself."""
    existing = _clients.get(service)
    if existing is not None:
        return existing
    with _lock:
        if service not in _clients:
            import boto3
            from botocore.config import Config

            from ..settings import get_settings

            config = Config(
                connect_timeout=3,
                read_timeout=25,
                retries={"max_attempts": 4, "mode": "standard"},
            )
            _clients[service] = boto3.session.Session().client(
                service, region_name=get_settings().region, config=config
            )
        return _clients[service]


def reset_clients() -> None:
    """Tests and the dev server call this when the endpoint or credentials change."""
    with _lock:
        _clients.clear()
