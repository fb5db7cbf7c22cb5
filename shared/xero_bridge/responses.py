"""How every HTTP function answers: JSON bodies and the error model, in one place.

Handlers built on Powertools' resolver call `install_error_handlers(app)`; handlers that
answer API Gateway directly (webhook intake) use `json_response`/`error_response`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from xero_bridge.errors import (
    BadRequestError,
    NotFoundError,
    XeroBridgeError,
    as_bridge_error,
    error_body,
)
from xero_bridge.observability import logger

JSON_HEADERS = {"Content-Type": "application/json"}


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money stays exact: a decimal string, never a float
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(body: Any) -> str:
    return json.dumps(body, default=_default, separators=(",", ":"))


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """An HTTP API (payload 2.0) result with a JSON body."""
    return {
        "statusCode": status,
        "headers": {**JSON_HEADERS, **(headers or {})},
        "body": dumps(body),
        "isBase64Encoded": False,
    }


def log_error(exc: BaseException) -> XeroBridgeError:
    """Log `exc` at the right level and return the error the caller may see."""
    error = as_bridge_error(exc)
    if error.status >= 500:
        # Unexpected failures keep their stack trace in the (redacted) log, never in the body.
        logger.exception("request failed", extra={"error_code": error.code})
    else:
        logger.info("request refused", extra={"error_code": error.code, "status": error.status})
    return error


def error_response(exc: BaseException) -> dict[str, Any]:
    error = log_error(exc)
    return json_response(error.status, error_body(error), error.headers)


def install_error_handlers(app: Any) -> None:
    """Map exceptions to DESIGN.md's error model on a Powertools resolver."""
    from aws_lambda_powertools.event_handler import Response
    from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

    def respond(exc: BaseException) -> Response:
        error = log_error(exc)
        return Response(
            status_code=error.status,
            content_type="application/json",
            body=dumps(error_body(error)),
            headers=error.headers,
        )

    @app.exception_handler(XeroBridgeError)
    def handle_bridge_error(exc: XeroBridgeError) -> Response:
        return respond(exc)

    # Raised only by resolvers with enable_validation: malformed input is a 400.
    @app.exception_handler(RequestValidationError)
    def handle_validation_error(exc: RequestValidationError) -> Response:
        details = [
            {
                "field": ".".join(str(part) for part in err.get("loc", ())[1:]) or None,
                "problem": err.get("msg"),
            }
            for err in exc.errors()
        ]
        return respond(BadRequestError("the request is not valid", details))

    @app.not_found
    def handle_not_found(exc: Any) -> Response:
        return respond(NotFoundError("no such route"))

    @app.exception_handler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        return respond(exc)
