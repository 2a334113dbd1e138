"""Lazily created boto3 clients. Nothing here runs at import time (cold starts, moto)."""
from __future__ import annotations

import threading
from typing import Any

_lock = threading.RLock()
_clients: dict[str, Any] = {}
# botocore event hooks put on every client we create: (event name, handler). Used to count AWS calls
# per request and to inject faults at the adapter seam (tests, benchmarks); empty in production.
_hooks: list[tuple[str, Any]] = []


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

            # A Lambda container serves one invocation at a time: botocore's 10 pooled connections are plenty.
            # `ulakbel dev` serves every request, poll and stream batch from one process: more threads than
            # that share a client, and past the pool each call opened (and the embedded AWS served) a new
            # connection.
            pool = 64 if get_settings().aws_endpoint_url else 10
            config = Config(
                max_pool_connections=pool,
                connect_timeout=3,
                read_timeout=25,
                retries={"max_attempts": 4, "mode": "standard"},
            )
            _clients[service] = boto3.session.Session().client(
                service, region_name=get_settings().region, config=config
            )
            for event, handler in _hooks:
                _clients[service].meta.events.register(event, handler)
        return _clients[service]


def add_hook(event: str, handler: Any) -> None:
    """Register a botocore event handler (e.g. "before-call") on every current and future client."""
    with _lock:
        _hooks.append((event, handler))
        for existing in _clients.values():
            existing.meta.events.register(event, handler)


def remove_hook(event: str, handler: Any) -> None:
    with _lock:
        if (event, handler) in _hooks:
            _hooks.remove((event, handler))
        for existing in _clients.values():
            existing.meta.events.unregister(event, handler)


def reset_clients() -> None:
    """Tests and the dev server call this when the endpoint or credentials change."""
    with _lock:
        _clients.clear()
