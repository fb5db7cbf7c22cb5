"""The product's exceptions and their one mapping to the JSON error model
(`{"error": {"code", "message", "details"}}`, README: Conventions).

Logic raises these; handlers never build error bodies themselves. Anything unexpected
becomes a 500 `internal_error` without a stack trace or any detail in the body.
"""

from __future__ import annotations

from typing import Any


class XeroBridgeError(Exception):
    """An error a person can be told about: HTTP status, snake_case code, message, details."""

    status: int = 500
    code: str = "internal_error"

    def __init__(
        self,
        message: str,
        details: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[Any] = list(details or [])
        self.headers: dict[str, str] = dict(headers or {})


class BadRequestError(XeroBridgeError):
    status, code = 400, "bad_request"


class UnauthorizedError(XeroBridgeError):
    status, code = 401, "unauthorized"


class ForbiddenError(XeroBridgeError):
    status, code = 403, "forbidden"


class XeroScopeMissingError(ForbiddenError):
    """The Xero connection lacks the OAuth scope a call needs (never granted, or Xero refused
    the call for it): someone must connect the organisation again with that scope."""

    code = "xero_scope_missing"


class NotFoundError(XeroBridgeError):
    status, code = 404, "not_found"


class UnsupportedMediaTypeError(XeroBridgeError):
    """A body in a content type the route does not take."""

    status, code = 415, "unsupported_media_type"


class ConflictError(XeroBridgeError):
    """An idempotency key reused with another body, a state already used, a stale write."""

    status, code = 409, "conflict"


class ValidationFailedError(XeroBridgeError):
    """Content rejected by our rules or by Xero (Xero's messages go in `details`)."""

    status, code = 422, "validation_failed"


class RateLimitedError(XeroBridgeError):
    """Xero said wait: answered as 429 with Retry-After."""

    status, code = 429, "rate_limited"

    def __init__(self, message: str, retry_after: float, details: list[Any] | None = None) -> None:
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(message, details, {"Retry-After": str(self.retry_after)})


class UpstreamError(XeroBridgeError):
    """Xero or OpenAI answered with a failure."""

    status, code = 502, "upstream_error"


class ServiceUnavailableError(XeroBridgeError):
    """A dependency is down or not configured; a retry later may work."""

    status, code = 503, "service_unavailable"


class UpstreamTimeoutError(XeroBridgeError):
    status, code = 504, "upstream_timeout"


class ConfigurationError(XeroBridgeError):
    """The function runs without a setting it needs: an operator's problem, not the caller's."""

    status, code = 500, "configuration_error"


def error_body(error: XeroBridgeError) -> dict[str, Any]:
    """The JSON error body: `{"error": {"code", "message", "details"}}`."""
    return {"error": {"code": error.code, "message": error.message, "details": error.details}}


def as_bridge_error(exc: BaseException) -> XeroBridgeError:
    """Map any exception to the error a caller may see; unknown ones reveal nothing."""
    if isinstance(exc, XeroBridgeError):
        return exc
    return XeroBridgeError("internal error")
