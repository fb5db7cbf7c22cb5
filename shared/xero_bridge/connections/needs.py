"""The Xero calls the features make, and so the scopes a connection needs for them.

`FEATURE_CALLS` lists, per feature, the Accounting API calls it makes (method, path); the
scope table (`xero_bridge.xero.scopes`) turns each into the scope it needs. From them:

- `missing_scopes(connection)`: what `GET /xero/connections` shows — the scopes the features
  need that the connection was not granted, plus those Xero refused a call for;
- `require_route_scopes(route_key, tenant_id)`: routes that must not start what they cannot
  finish (a payment recorded in our books but refused at Xero) check every call they will
  make before the first one (`ROUTE_CALLS`); a gap is a 403 `xero_scope_missing` with no
  Xero call at all. Every other call is still checked one by one by the client.

XERO_SCOPES' default is the least set that covers `FEATURE_CALLS` (a unit test holds them
together), plus `accounting.banktransactions.read`.
"""

from __future__ import annotations

from collections.abc import Iterable

from xero_bridge.auth.route_policy import normalise
from xero_bridge.errors import XeroScopeMissingError
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence.connections import Connection
from xero_bridge.records.attachment_kinds import XERO_RESOURCE
from xero_bridge.xero.scopes import READ, Requirement, requirement

Call = tuple[str, str]  # (HTTP method, path under /api.xro/2.0)

_ID = "{id}"


def _crud(resource: str, *, delete: bool = False) -> tuple[Call, ...]:
    calls: tuple[Call, ...] = (
        ("GET", f"/{resource}"),
        ("PUT", f"/{resource}"),
        ("POST", f"/{resource}"),
        ("GET", f"/{resource}/{_ID}"),
        ("POST", f"/{resource}/{_ID}"),
    )
    return (*calls, ("DELETE", f"/{resource}/{_ID}")) if delete else calls


_PAY: tuple[Call, ...] = (
    ("GET", "/Invoices"),
    ("GET", "/Accounts"),
    ("GET", "/Payments"),
    ("PUT", "/Payments"),
)
_REVERSE: tuple[Call, ...] = (("GET", f"/Payments/{_ID}"), ("POST", f"/Payments/{_ID}"))

FEATURE_CALLS: dict[str, tuple[Call, ...]] = {
    "payments": (*_PAY, *_REVERSE),
    "records": (
        *_crud("Accounts", delete=True),
        *_crud("Contacts"),
        *_crud("Invoices"),
        ("POST", f"/Invoices/{_ID}/Email"),
        *_crud("Items", delete=True),
        *(
            (method, f"/{kind}/{_ID}/History")
            for kind in ("Contacts", "Invoices", "Items")
            for method in ("GET", "PUT")
        ),
        *(
            (method, f"/{resource}/{_ID}/Attachments/file.pdf")
            for resource in XERO_RESOURCE.values()
            for method in ("GET", "PUT")
        ),
    ),
    "ask": (
        ("GET", "/Organisation"),
        ("GET", "/Invoices"),
        ("GET", "/Contacts"),
        ("GET", "/Payments"),
        ("GET", "/Accounts"),
        ("GET", "/Reports/ProfitAndLoss"),
        ("GET", "/Reports/BalanceSheet"),
        ("GET", "/Reports/BankSummary"),
    ),
    "webhooks": (("GET", "/Invoices"), ("GET", "/Contacts"), ("GET", "/CreditNotes")),
}

_T = "/tenants/{tenantId}"
ROUTE_CALLS: dict[str, tuple[Call, ...]] = {
    f"POST {_T}/payments": _PAY,
    f"POST {_T}/payments/batch": _PAY,
    f"POST {_T}/payments/{{id}}/approve": _PAY,
    f"POST {_T}/payments/{{id}}/reverse": _REVERSE,
}
_ROUTES = {normalise(key): calls for key, calls in ROUTE_CALLS.items()}


def _requirements(calls: Iterable[Call]) -> list[Requirement]:
    found = (requirement(method, path) for method, path in calls)
    return list(dict.fromkeys(need for need in found if need is not None))


def _implied(name: str, names: Iterable[str]) -> bool:
    """A `.read` scope whose write twin is among `names` (asking for that grants both)."""
    return name.endswith(READ) and name.removesuffix(READ) in set(names)


def unmet(granted: Iterable[str], calls: Iterable[Call]) -> list[Requirement]:
    """The requirements of `calls` that `granted` does not satisfy, one per scope named (a
    `.read` one only when its write twin is not needed too)."""
    held = list(granted)
    missing: dict[str, Requirement] = {}
    for need in _requirements(calls):
        if not need.satisfied_by(held):
            missing.setdefault(need.scope, need)
    return [need for name, need in missing.items() if not _implied(name, missing)]


def feature_calls() -> list[Call]:
    return [call for calls in FEATURE_CALLS.values() for call in calls]


def missing_scopes(connection: Connection) -> list[str]:
    """The scopes the features need that `connection` lacks, and those Xero refused.

    A connection whose granted scopes are unknown (Xero named none) shows only the refused
    ones.
    """
    names = set(connection.refused_scopes)
    if connection.scopes:
        names.update(need.scope for need in unmet(connection.scopes, feature_calls()))
    return sorted(name for name in names if not _implied(name, names))


def require_route_scopes(route_key: str | None, tenant_id: str) -> None:
    """403 xero_scope_missing, before any Xero call, when the route's calls need a scope the
    tenant's connection was not granted (a route without an entry is not checked here)."""
    if not isinstance(route_key, str) or " " not in route_key:
        return
    calls = _ROUTES.get(normalise(route_key))
    if not calls:
        return
    connection = connection_store.get_connection(tenant_id)
    if connection is None or not connection.scopes:
        return  # not connected (the feature says so) or scopes unknown (Xero decides)
    gaps = unmet(connection.scopes, calls)
    if not gaps:
        return
    scopes = ", ".join(need.scope for need in gaps)
    raise XeroScopeMissingError(
        f"this organisation's Xero connection was not granted {scopes}, which this request "
        "needs; connect the organisation again with it: POST /xero/connect with scopes "
        f"including {scopes}",
        [{"scope": need.scope, "resource": need.resource} for need in gaps],
    )
