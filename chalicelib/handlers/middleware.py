"""Observability middleware: a correlation id on every log line, a request log without personal data."""
from __future__ import annotations

import time
import uuid
from typing import Any, Callable

from ..observability import logger, traced


def _http(event: Any, get_response: Callable) -> Any:
    log = logger()
    headers = event.headers or {}
    correlation = headers.get("x-correlation-id") or (event.context or {}).get("requestId") or str(uuid.uuid4())
    log.append_keys(correlation_id=correlation)
    started = time.perf_counter()
    response = get_response(event)
    response.headers["X-Correlation-Id"] = correlation
    log.info(
        "http",
        extra={
            "method": event.method,
            "path": (event.context or {}).get("resourcePath", event.path),
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    log.remove_keys(["correlation_id"])
    return response


def _lambda(event: Any, get_response: Callable) -> Any:
    log = logger()
    context = getattr(event, "context", None)
    log.append_keys(correlation_id=getattr(context, "aws_request_id", None) or str(uuid.uuid4()))
    name = str(getattr(context, "function_name", None) or "lambda").rsplit("-", 1)[-1]
    try:
        with traced(name):  # one subsegment per function invocation, the AWS calls inside it
            return get_response(event)
    finally:
        log.remove_keys(["correlation_id"])


def register(app) -> None:
    app.register_middleware(_http, "http")
    app.register_middleware(_lambda, "pure_lambda")
    app.register_middleware(_lambda, "scheduled")
    app.register_middleware(_lambda, "sqs")
    app.register_middleware(_lambda, "sns")
