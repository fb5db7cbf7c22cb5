"""JSON for people and programs (money as decimal strings, dates ISO 8601), and how an
error is logged before it is answered (`xero_bridge.http.resolver` answers it)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from xero_bridge.errors import (
    XeroBridgeError,
    as_bridge_error,
)
from xero_bridge.observability import logger


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money stays exact: a decimal string, never a float
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(body: Any) -> str:
    return json.dumps(body, default=_default, separators=(",", ":"))


def log_error(exc: BaseException) -> XeroBridgeError:
    """Log `exc` at the right level and return the error the caller may see."""
    error = as_bridge_error(exc)
    if error.status >= 500:
        # Unexpected failures keep their stack trace in the (redacted) log, never in the body.
        logger.exception("request failed", extra={"error_code": error.code})
    else:
        logger.info("request refused", extra={"error_code": error.code, "status": error.status})
    return error
