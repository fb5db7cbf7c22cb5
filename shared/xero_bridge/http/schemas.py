"""The shapes every route shares in the API description: the error body, and the
`responses=` entries a route declares for the statuses it can answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

# What each error status means to a caller (DESIGN's error model).
ERROR_MEANINGS: dict[int, str] = {
    400: "The request is malformed: `error.details` names each problem",
    401: "No token, or an invalid one",
    403: "Not allowed: a scope or group the route needs, or a tenant the caller was never granted",
    404: "No such record",
    409: "A conflict: an Idempotency-Key reused with another body, or a state already used",
    415: "The body is not application/json",
    422: "Refused by our rules or by Xero (Xero's messages in `error.details`)",
    429: "Xero's limits say wait: retry after `Retry-After` seconds",
    502: "Xero or OpenAI answered with a failure",
    503: "A dependency is unavailable or not configured: retry later",
    504: "Xero or OpenAI did not answer in time",
}


class ErrorObject(BaseModel):
    code: str = Field(description="A snake_case code, stable for programs to test")
    message: str = Field(description="What went wrong, for a person")
    details: list[Any] = Field(default_factory=list, description="Field problems, Xero's messages")


class ErrorBody(BaseModel):
    """Every error answer: `{"error": {"code", "message", "details"}}`."""

    error: ErrorObject


def error_responses(*statuses: int) -> dict[int, dict[str, Any]]:
    """`responses=` entries for these error statuses, each with the error body's schema."""
    return {
        status: {
            "description": ERROR_MEANINGS[status],
            "content": {"application/json": {"model": ErrorBody}},
        }
        for status in statuses
    }
