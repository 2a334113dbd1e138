"""How every HTTP endpoint behaves: auth, body limits, JSON errors, and no 5xx for bad input."""
from __future__ import annotations

import functools
import importlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from chalice import Blueprint, Response

from .. import container
from ..domain.errors import DomainError, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from ..observability import logger, traced
from .staff_session import SESSION_COOKIE, cookies, session_token  # noqa: F401  (the console reads them here)
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

if TYPE_CHECKING:  # pydantic models are built on first use, not at import (cold start)
    from pydantic import ValidationError

M = TypeVar("M")

# A model given to `endpoint(body=/response=)`: the class itself, or "package.module:ClassName" so the
# module holding it is imported only when /openapi.json is generated (keeps cold start cheap).
ModelRef = Any


@dataclass(frozen=True)
class EndpointSpec:
    """What `endpoint(...)` recorded at decoration time; /openapi.json is generated from these on request."""

    path: str
    methods: tuple[str, ...]
    view: str
    module: str
    doc: str
    auth: bool
    content_types: tuple[str, ...]
    body: ModelRef = None
    response: ModelRef = None
    query: tuple[str, ...] | ModelRef = None


ENDPOINTS: list[EndpointSpec] = []


def resolve_model(ref: ModelRef) -> Any:
    """A model class from a class or a "module:Name" reference."""
    if ref is None or not isinstance(ref, str):
        return ref
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


class lazy:  # noqa: N801 - reads like a module
    """A module imported on first attribute access: `usecase = lazy("chalicelib.usecases.requests")`."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


def _is_validation_error(exc: Exception) -> bool:
    from pydantic import ValidationError

    return isinstance(exc, ValidationError)

TEXT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "text/xml",
    "application/xml",
    "multipart/form-data",
]
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body=json.dumps(body, ensure_ascii=False, default=str), status_code=status,
                    headers={**JSON_HEADERS, **(headers or {})})


def error_response(status: int, code: str, message: str, details: Any | None = None) -> Response:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return json_response({"error": error}, status)


def describe_validation(exc: "ValidationError") -> str:
    parts = []
    for err in exc.errors()[:8]:
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        msg = err.get("msg", "invalid").removeprefix("Value error, ")
        parts.append(f"{where}: {msg}")
    return both("api.invalid_data") + " — " + "; ".join(parts)


def parse_json(request, model: type[M]) -> M:
    """Strictly parse the JSON body into `model` or raise a 4xx a person can act on."""
    ctype = (request.headers.get("content-type") or "application/json").lower()
    if "json" not in ctype:
        raise UnsupportedMediaType(both("api.body_json"))
    raw = request.raw_body or b""
    if not raw.strip():
        raise InvalidInput(both("api.body_empty"))
    from pydantic import ValidationError

    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            raise InvalidInput(both("api.malformed_json")) from None
        raise InvalidInput(describe_validation(exc), details=_safe_errors(exc)) from None


def _safe_errors(exc: "ValidationError") -> list[dict[str, Any]]:
    # Never echo the input back: it may carry personal data.
    return [{"loc": list(e.get("loc", ())), "type": e.get("type")} for e in exc.errors()[:20]]


def endpoint(
    bp: Blueprint,
    path: str,
    methods: list[str] | None = None,
    *,
    auth: bool = True,
    content_types: list[str] | None = None,
    max_body: int | None = None,
    cookie_auth: bool = False,
    on_error: Callable[[int, str, str], Response] | None = None,
    body: ModelRef = None,
    response: ModelRef = None,
    query: tuple[str, ...] | ModelRef = None,
    rate_limit: str | None = None,
) -> Callable:
    """Register a route whose view gets (principal, request, **url_params) and returns a Response or JSON.

    cookie_auth: without an Authorization header, the console session cookie carries the same token.
    on_error: renders 4xx/5xx differently (the console shows HTML pages instead of JSON errors).
    `body`, `response` (pydantic models or "module:Name") and `query` (parameter names or a model) only
    describe the endpoint for GET /openapi.json; they are recorded here and turned into schemas on request.
    """
    render_error = on_error or error_response
    if rate_limit is None and path.startswith("/webhooks/"):
        rate_limit = "webhook"  # per source address, chalicelib/handlers/rate_limit.py

    def decorator(view: Callable) -> Callable:
        ENDPOINTS.append(EndpointSpec(
            path=path, methods=tuple(methods or ["GET"]), view=view.__name__, module=view.__module__,
            doc=(view.__doc__ or "").strip(), auth=auth, content_types=tuple(content_types or TEXT_TYPES),
            body=body, response=response, query=query))

        @functools.wraps(view)
        def wrapped(**params: Any) -> Response:
            request = bp.current_request
            try:
                limit = max_body or container.settings().max_body_bytes
                if request.raw_body and len(request.raw_body) > limit:
                    raise PayloadTooLarge(both("api.body_too_large", kb=limit // 1024))
                if rate_limit:
                    from .rate_limit import check as check_rate_limit

                    check_rate_limit(rate_limit, path, request)
                authorization = request.headers.get("authorization")
                renewed_cookies: list[str] = []
                if auth and cookie_auth and not authorization:
                    from .staff_session import renewed  # console: renew the id token before it expires

                    session, renewed_cookies = renewed(request, session_token(request))
                    authorization = f"Bearer {session}" if session else None
                principal = container.token_verifier().verify(authorization) if auth else None
                with traced(view.__name__):  # one X-Ray subsegment per use case, its AWS calls inside
                    result = view(principal, request, **params)
                result = result if isinstance(result, Response) else json_response(result)
                if renewed_cookies:
                    from .staff_session import add_cookies

                    add_cookies(result, renewed_cookies)
                return result
            except DomainError as exc:
                if on_error is not None:
                    return on_error(exc.http_status, exc.code, exc.message)
                resp = error_response(exc.http_status, exc.code, exc.message, exc.details)
                if getattr(exc, "retry_after", None):
                    resp.headers["Retry-After"] = str(exc.retry_after)
                return resp
            except Exception as exc:
                if _is_validation_error(exc):
                    if on_error is not None:
                        return on_error(400, "invalid_input", describe_validation(exc))
                    return error_response(400, "invalid_input", describe_validation(exc), _safe_errors(exc))
                logger().exception("unhandled error", extra={"path": path})
                return render_error(500, "internal_error",
                                    both("api.unexpected"))

        bp.route(path, methods=methods or ["GET"], content_types=content_types or TEXT_TYPES)(wrapped)
        return wrapped

    return decorator


def query_params(request) -> dict[str, str]:
    return dict(request.query_params or {})


def int_param(params: dict[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(both("api.integer", name=name)) from None
    if not lo <= value <= hi:
        raise InvalidInput(both("api.within", name=name, lo=lo, hi=hi))
    return value
