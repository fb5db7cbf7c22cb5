"""What every HTTP handler reads from a request, written once.

- the path parameter types (`TenantId`, `RecordId`, `PaymentId`), documented in the API
  description by their annotations;
- `caller`: the signed-in principal, after the tenant check and the route's Xero scopes (403
  before any Xero call);
- `idempotency_key`: one rule for every route that takes an `Idempotency-Key`;
- `exact_json`: request bodies parsed with every number as an exact Decimal;
- `validation_details`: pydantic's errors as the `details` of a 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path

from xero_bridge.auth.principal import Principal
from xero_bridge.auth.tenant_access import require_tenant_access
from xero_bridge.errors import BadRequestError, ForbiddenError

GUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
TenantId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="The Xero organisation (tenant) id; the caller needs a grant to it",
    ),
]
RecordId = Annotated[str, Path(pattern=GUID_PATTERN, description="A Xero record id (a GUID)")]
PaymentId = Annotated[str, Path(min_length=1, max_length=64, description="Our payment id")]

IDEMPOTENCY_HEADER = "Idempotency-Key"
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{8,128}$")  # visible ASCII, like a UUID or ULID


def _headers(event: Any) -> Mapping[str, str]:
    return getattr(event, "headers", None) or {}


def caller(router: Any, tenant_id: str | None = None, *, admin: bool = False) -> Principal:
    """The signed-in caller of the current request (`router.current_event`).

    With `tenant_id`, the caller must hold a grant to that tenant (403 otherwise), and the
    tenant's Xero connection the scopes the route will use, when the route is one that checks
    them first (`connections.needs.ROUTE_CALLS`; 403 `xero_scope_missing`); with `admin`, they
    must be an administrator, and an administrator then passes the tenant check without a
    grant (the route is itself an administration route).
    """
    event = router.current_event.raw_event
    principal = Principal.from_event(event)
    if admin and not principal.is_admin:
        raise ForbiddenError("this route is for administrators")
    if tenant_id is not None:
        require_tenant_access(principal, tenant_id)
        from xero_bridge.connections.needs import require_route_scopes

        require_route_scopes(event.get("routeKey"), tenant_id)
    return principal


def idempotency_key(router: Any, *, required: bool) -> str | None:
    """The request's Idempotency-Key: 8 to 128 visible ASCII characters (a UUID fits).

    Missing is a 400 where `required` (every POST that moves money), else None.
    """
    value = _headers(router.current_event).get(IDEMPOTENCY_HEADER.lower())
    if value is None or not value.strip():
        if not required:
            return None
        raise BadRequestError(
            "an Idempotency-Key header is required on this request",
            [{"field": IDEMPOTENCY_HEADER, "problem": "missing"}],
        )
    key = value.strip()
    if not _IDEMPOTENCY_KEY.match(key):
        raise BadRequestError(
            "the Idempotency-Key must be 8 to 128 visible ASCII characters (e.g. a UUID)",
            [{"field": IDEMPOTENCY_HEADER, "problem": "malformed"}],
        )
    return key


# ---------------------------------------------------------------------------- bodies
def _reject_constant(name: str) -> Any:
    raise BadRequestError(
        f"the body contains {name}, which is not a number",
        [{"field": None, "problem": f"{name} is not allowed"}],
    )


def _decimal_from_text(text: str) -> Decimal:
    if "e" in text or "E" in text:
        raise BadRequestError(
            "numbers in exponent notation are not accepted: send money as a decimal string",
            [{"field": None, "problem": f"{text} uses exponent notation"}],
        )
    try:
        return Decimal(text)
    except InvalidOperation:
        raise BadRequestError("the body is not valid JSON") from None


def _lone_surrogate_at(value: Any, path: tuple[str | int, ...] = ()) -> tuple[Any, ...] | None:
    """The path of the first string holding a lone UTF-16 surrogate (JSON's `"\\ud800"`),
    which no UTF-8 text can carry on to Xero."""
    if isinstance(value, str):
        return path if any("\ud800" <= c <= "\udfff" for c in value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _lone_surrogate_at(key, path) or _lone_surrogate_at(item, (*path, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _lone_surrogate_at(item, (*path, index))
            if found is not None:
                return found
    return None


def exact_json(text: str | bytes | None) -> Any:
    """A request body as JSON, every number exact (Decimal or int); 400 naming the problem
    for malformed JSON, NaN/Infinity, exponents and strings no UTF-8 text can hold."""
    if text is None or not text.strip():
        raise BadRequestError("a JSON body is required")
    try:
        data = json.loads(text, parse_float=_decimal_from_text, parse_constant=_reject_constant)
    except ValueError:
        raise BadRequestError("the body is not valid JSON") from None
    where = _lone_surrogate_at(data)
    if where is not None:
        field = ".".join(str(part) for part in where) or None
        raise BadRequestError(
            "the body holds text that is not valid Unicode (a lone surrogate)",
            [{"field": field, "problem": "not valid Unicode"}],
        )
    return data


def validation_details(
    errors: Iterable[Mapping[str, Any]], *, skip: int = 0, prefix: str = ""
) -> list[dict[str, Any]]:
    """pydantic's (or Powertools') errors as `[{field, problem}]`.

    `skip` drops leading location parts (Powertools puts "body"/"query" first); `prefix`
    names the part of the request the errors are in (e.g. "payments.3.").
    """
    details = []
    for error in errors:
        location = ".".join(str(part) for part in tuple(error.get("loc", ()))[skip:])
        problem = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        field = f"{prefix}{location}" if location else (prefix.rstrip(".") or None)
        details.append({"field": field, "problem": problem})
    return details
