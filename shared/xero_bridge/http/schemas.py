"""The API description's shared pieces: the error body as a model, and `responses`, which
builds a route's `responses=` from its answers and the error statuses it can give.

    @app.post("/…", responses=responses({201: (PaymentOut, "Recorded")}, 400, 403, 409))

Every error status is documented with the one error body (`ErrorBody`); 429 (and 409, which a
request still in progress answers) with its `Retry-After` header.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import (
    OpenAPIResponse,
    OpenAPIResponseContentModel,
    OpenAPIResponseContentSchema,
    OpenAPIResponseHeader,
)
from pydantic import BaseModel, Field

from xero_bridge.api_models import ApiAnswer


class ErrorOut(ApiAnswer):
    code: str = Field(description="snake_case, e.g. `bad_request`, `conflict`, `rate_limited`")
    message: str = Field(description="For a person")
    details: list[Any] = Field(
        description="What exactly was wrong: `[{field, problem}]` for bad input, Xero's "
        "messages for its validation errors"
    )


class ErrorBody(ApiAnswer):
    """`{"error": {"code", "message", "details"}}`: every error answer of every route."""

    error: ErrorOut


ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Malformed request: the details name each problem",
    401: "No or an invalid token",
    403: "Not allowed: scope, group, or a tenant the caller was never granted",
    404: "No such resource",
    409: "Conflict: an Idempotency-Key reused with another body, still in progress, or a "
    "state that no longer allows this",
    415: "The body is not application/json",
    422: "Refused by our rules or by Xero (Xero's messages in the details)",
    429: "Xero's limits say wait: retry after Retry-After seconds",
    502: "Xero or OpenAI answered with a failure",
    503: "Xero or a dependency is unavailable: retry (with the same Idempotency-Key)",
    504: "Xero did not answer in time",
}
_RETRY_AFTER: dict[str, OpenAPIResponseHeader] = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer", "minimum": 1},
    }
}


Content = dict[str, OpenAPIResponseContentSchema | OpenAPIResponseContentModel]


def _json(model: type[BaseModel]) -> Content:
    return {"application/json": {"model": model}}


def error_response(status: int) -> OpenAPIResponse:
    """One error status as the API description shows it."""
    response: OpenAPIResponse = {
        "description": ERROR_DESCRIPTIONS[status],
        "content": _json(ErrorBody),
    }
    if status in (409, 429):
        response["headers"] = _RETRY_AFTER
    return response


def responses(
    answers: Mapping[int, tuple[type[BaseModel], str]], *errors: int
) -> dict[int, OpenAPIResponse]:
    """A route's `responses=`: its answers (status → (model, description)) and its errors."""
    documented: dict[int, OpenAPIResponse] = {
        status: {"description": description, "content": _json(model)}
        for status, (model, description) in answers.items()
    }
    documented.update({status: error_response(status) for status in errors})
    return documented


# A route that answers 204: no body to describe.
NO_CONTENT: dict[int, OpenAPIResponse] = {204: {"description": "Done; no body"}}


def error_responses(*statuses: int) -> dict[int, OpenAPIResponse]:
    """`responses=` entries for error statuses a route declares beyond the shared ones."""
    return {status: error_response(status) for status in statuses}
