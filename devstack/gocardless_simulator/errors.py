"""GoCardless's error bodies: ``{"error": {type, code, message, errors[], documentation_url,
request_id}}``, raised as ApiError anywhere in a handler and rendered once by the app."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Response

JSON = "application/json"
DOCS = "https://developer.gocardless.com/api-reference#"


@dataclass(eq=False)
class ApiError(Exception):
    status: int
    error_type: str
    message: str
    errors: list[dict[str, Any]]
    anchor: str  # the #fragment of documentation_url
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "errors": self.errors,
                "documentation_url": DOCS + self.anchor,
                "type": self.error_type,
                "request_id": str(uuid.uuid4()),
                "code": self.status,
            }
        }

    def response(self) -> Response:
        return Response(
            json.dumps(self.body()), status=self.status, content_type=JSON, headers=self.headers
        )


def invalid_api_usage(status: int, reason: str, message: str) -> ApiError:
    return ApiError(
        status, "invalid_api_usage", message, [{"reason": reason, "message": message}], reason
    )


def invalid_state(
    reason: str, message: str, links: dict[str, str] | None = None, status: int = 422
) -> ApiError:
    error: dict[str, Any] = {"reason": reason, "message": message}
    if links:
        error["links"] = links
    return ApiError(status, "invalid_state", message, [error], reason)


def resource_not_found() -> ApiError:
    return invalid_api_usage(404, "resource_not_found", "Resource not found")


def internal_error() -> ApiError:
    return ApiError(
        500,
        "gocardless",
        "Internal server error",
        [{"reason": "internal_server_error", "message": "Internal server error"}],
        "internal_server_error",
    )


class FieldErrors:
    """Collects a request's field errors; ``raise_if_any`` answers 422 validation_failed with
    each field's message and request_pointer, as GoCardless does."""

    def __init__(self, envelope: str) -> None:
        self.envelope = envelope
        self.items: list[dict[str, str]] = []

    def add(self, path: str, message: str) -> None:
        """`path` is dotted below the envelope, e.g. "links.mandate"."""
        parts = path.split(".")
        self.items.append(
            {
                "field": parts[-1],
                "message": message,
                "request_pointer": "/" + "/".join([self.envelope, *parts]),
            }
        )

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ApiError(
                422, "validation_failed", "Validation failed", self.items, "validation_failed"
            )
