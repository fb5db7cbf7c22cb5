"""What the records routes share: the list query parameters, the tenant check (with the
optional Idempotency-Key where records are written), list queries as models (400 naming each
problem), and the answers of the snapshot-served GETs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, ValidationError

from xero_bridge.errors import BadRequestError
from xero_bridge.http.answers import json_answer
from xero_bridge.http.caching import CACHE_CONTROL_DESCRIPTION, RESPONSE_HEADERS, cache_request
from xero_bridge.http.caching import source_headers as _source_headers
from xero_bridge.http.request import caller, idempotency_key, validation_details
from xero_bridge.http.schemas import responses
from xero_bridge.records import query as q
from xero_bridge.records.snapshot_reads import ReadPolicy, Sourced, read_policy

Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=q.MAX_PAGE_SIZE)]
ModifiedSince = Annotated[str | None, Query(max_length=40)]
Search = Annotated[str | None, Query(min_length=1, max_length=100)]
Where = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=q.WHERE_MAX_LENGTH,
        description="A Xero `where` expression, AND-ed with the other filters"
        ' (e.g. `Code.StartsWith("4")`)',
    ),
]
# GETs of one invoice or contact may be answered from the webhook worker's snapshots.
CacheControl = Annotated[str | None, Header(description=CACHE_CONTROL_DESCRIPTION)]
SOURCED = {200: {"description": "The record", "headers": RESPONSE_HEADERS}}


def created_answer(model: type[BaseModel]) -> dict[int, OpenAPIResponse]:
    """`responses=` of a route that answers 201 with `model`."""
    return responses({201: (model, "Created")})


def tenant(router: Any, tenant_id: str) -> str:
    """The tenant id once the caller is known to reach it (403 otherwise)."""
    caller(router, tenant_id)
    return tenant_id


def tenant_and_key(router: Any, tenant_id: str) -> tuple[str, str | None]:
    """The tenant (as `tenant`), then the request's optional Idempotency-Key: what a route
    that writes new records takes before it writes."""
    return tenant(router, tenant_id), idempotency_key(router, required=False)


def list_query[Q: BaseModel](model: type[Q], **values: Any) -> Q:
    """A list query model from the query parameters; 400 with the problems when invalid."""
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        raise BadRequestError("the query is not valid", validation_details(exc.errors())) from None


def sourced(router: Any, read: Callable[[ReadPolicy], Sourced[Any]]) -> Response[Any]:
    """`read(policy)` under the request's Cache-Control, answered with where it came from."""
    found = read(read_policy(cache_request(router.current_event.headers)))
    headers = _source_headers(found.source, found.age_seconds)
    return json_answer(200, found.value, headers)
