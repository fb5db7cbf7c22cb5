"""The scope check around every Accounting API call (`BridgeApiClient.call_api` runs it).

- Before Xero is called: a call the token set's granted scopes do not cover (the table in
  `xero_bridge.xero.scopes`) is refused with XeroScopeMissingError (403
  `xero_scope_missing`) and nothing is sent. A set whose scopes are unknown (empty: Xero
  named none) is not checked here; Xero decides.
- After Xero answered 401: `is_scope_refusal` tells Xero's `AuthorizationUnsuccessful` (the
  token lacks a scope; a fresh token would not help) from a token Xero no longer accepts
  (expired, revoked: refresh once). `refused_by_xero` marks the connection with the scope
  the table names for that call (`GET /xero/connections` lists it under `missing_scopes`
  until someone connects again) and answers the same 403.

The message says which scope and how to get it: connect again with `POST /xero/connect`
and `scopes` including it (a new consent; Xero never adds a scope to a token by itself).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from xero_bridge.errors import XeroScopeMissingError
from xero_bridge.observability import logger
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence.dynamodb import STORE_ERRORS
from xero_bridge.xero.headers import headers_of
from xero_bridge.xero.scopes import Requirement, requirement

API_ROOT = "/api.xro/2.0"
SCOPE_REFUSAL_DETAIL = "AuthorizationUnsuccessful"


def accounting_path(resource_path: str) -> str | None:
    """The part of a request URL under /api.xro/2.0 (``/Invoices/{InvoiceID}``), or None
    for a URL of any other API."""
    path = urlsplit(resource_path).path if "://" in resource_path else resource_path
    at = path.find(API_ROOT)
    if at < 0:
        return None
    return path[at + len(API_ROOT) :] or "/"


def _how_to_fix(scope: str) -> str:
    return (
        f"connect the organisation again with it: POST /xero/connect with scopes including {scope}"
    )


def _missing(need: Requirement, method: str, *, by_xero: bool) -> XeroScopeMissingError:
    call = f"{method.upper()} {need.resource}"
    if by_xero:
        message = f"Xero refused {call} for lack of the scope {need.scope}; "
    else:
        message = f"this organisation's Xero connection was not granted {need.scope}, "
        message += f"which {call} needs; "
    return XeroScopeMissingError(
        message + _how_to_fix(need.scope), [{"scope": need.scope, "resource": need.resource}]
    )


def refuse_ungranted(granted: Sequence[str], method: str, path: str | None) -> None:
    """Raise XeroScopeMissingError when `granted` does not cover `method path`."""
    if path is None or not granted:
        return
    need = requirement(method, path)
    if need is None or need.satisfied_by(granted):
        return
    logger.info(
        "xero call refused before sending: scope not granted",
        extra={"scope": need.scope, "resource": need.resource, "method": method.upper()},
    )
    raise _missing(need, method, by_xero=False)


def _problem_detail(response: Any) -> str | None:
    data = getattr(response, "data", None)
    if not data:
        return None
    try:
        body = json.loads(data)
    except (ValueError, TypeError):
        return None
    detail = body.get("Detail") if isinstance(body, dict) else None
    return str(detail) if detail is not None else None


def is_scope_refusal(status: int, response: Any) -> bool:
    """Whether a 401 says the token lacks a scope (not that Xero no longer accepts it)."""
    if status != 401:
        return False
    lowered = {key.lower(): value for key, value in headers_of(response).items()}
    if "insufficient_scope" in lowered.get("www-authenticate", ""):
        return True
    return _problem_detail(response) == SCOPE_REFUSAL_DETAIL


def refused_by_xero(
    tenant_id: str, token_set_id: str, method: str, path: str | None
) -> XeroScopeMissingError:
    """The error for Xero's scope refusal, after marking the connection with the scope."""
    need = requirement(method, path) if path is not None else None
    if need is None:
        resource = (path or "").strip("/").split("/")[0] or None
        logger.warning("xero refused a call for a scope the table does not know")
        return XeroScopeMissingError(
            "Xero refused this call for lack of a scope; connect the organisation again "
            "(POST /xero/connect) with the scopes the call needs",
            [{"scope": None, "resource": resource}],
        )
    logger.warning(
        "xero refused a call for lack of a scope",
        extra={"tenant_id": tenant_id, "scope": need.scope, "resource": need.resource},
    )
    try:
        connection_store.add_refused_scope(tenant_id, need.scope, token_set_id)
    except STORE_ERRORS:
        logger.warning("marking the refused scope failed", extra={"tenant_id": tenant_id})
    return _missing(need, method, by_xero=True)
