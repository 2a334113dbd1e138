"""Domain errors. Handlers map each to one HTTP status in a single place."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base for errors that carry a stable code and a message a person can act on."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, details: Any | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    code = "invalid_input"
    http_status = 400


class Unauthenticated(DomainError):
    code = "unauthenticated"
    http_status = 401


class Forbidden(DomainError):
    code = "forbidden"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class Conflict(DomainError):
    """Optimistic-lock failure or a change based on stale state; details carry the current state."""

    code = "conflict"
    http_status = 409


class InvalidTransition(DomainError):
    code = "invalid_transition"
    http_status = 409


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    http_status = 413


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    http_status = 415


class RateLimited(DomainError):
    code = "rate_limited"
    http_status = 429


class TemporarilyUnavailable(DomainError):
    """A dependency (AWS, a platform) failed transiently; the caller may retry. Never used for bad input."""

    code = "temporarily_unavailable"
    http_status = 503


class ConfigurationError(DomainError):
    """A setting or secret the code needs has no value on this stage (never papered over with a constant)."""

    code = "configuration_error"
    http_status = 503


class TrackingCodeTaken(Exception):
    """Two requests drew the same tracking code; intake draws again (internal, never reaches HTTP)."""


class PreconditionFailed(Exception):
    """A write's precondition (see ports.Precondition) did not hold; nothing was written."""

    def __init__(self, names: frozenset[str]) -> None:
        super().__init__(", ".join(sorted(names)))
        self.names = names
