"""Which scope (or group) each route needs: the one place that says who may call what.

The authorizer looks the request's ``routeKey`` up here. A route that is not in the table is
denied — a new route must be added here before anyone can call it (a test checks that every
route template.yaml puts behind the authorizer is in the table).

How a rule is met:

- ``scope("x")`` — the token has scope ``x``.
- ``any_scope("x", "y")`` — the token has at least one of them.
- ``ADMIN_ONLY`` — the ``admin`` scope or membership of the ``admin`` Okta group. ``admin``
  satisfies *only* admin rules: an administrator who wants to approve payments needs
  ``payments:approve`` like anyone else.
- ``SIGNED_IN`` — any valid token; the handler decides the rest (e.g. "admin or owner").
- ``NO_AUTHORIZER`` — the route is not behind the authorizer at all (``Auth: NONE`` in the
  template): it authenticates otherwise (webhook signature, OAuth ``state``) or is public.

Tenant routes also need a tenant grant; that is checked by the handler with
``require_tenant_access`` (tenant ids are not in the route key, so not here).

Path parameter names do not matter for matching (``{id}`` and ``{paymentId}`` are the same
route), so the table reads like the README's routes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from xero_bridge.auth.principal import ADMIN
from xero_bridge.records.attachment_kinds import ATTACHMENT_KINDS


@dataclass(frozen=True)
class Rule:
    any_of: frozenset[str] = frozenset()  # scopes, any one of which is enough
    signed_in_only: bool = False
    behind_authorizer: bool = True

    def allows(self, scopes: Iterable[str], groups: Collection[str]) -> bool:
        if self.signed_in_only or not self.behind_authorizer:
            return True
        granted = set(scopes)
        if ADMIN in groups:
            granted.add(ADMIN)  # the admin group counts as the admin scope, nothing more
        return bool(self.any_of & granted)

    def describe(self) -> str:
        if not self.behind_authorizer:
            return "no authorizer"
        if self.signed_in_only:
            return "signed in"
        return " or ".join(sorted(self.any_of))


def scope(name: str) -> Rule:
    return Rule(any_of=frozenset({name}))


def any_scope(*names: str) -> Rule:
    return Rule(any_of=frozenset(names))


SIGNED_IN = Rule(signed_in_only=True)
NO_AUTHORIZER = Rule(behind_authorizer=False)
ADMIN_ONLY = scope(ADMIN)

XERO_CONNECT = scope("xero:connect")
PAY = scope("payments:write")
APPROVE = scope("payments:approve")
SEE_PAYMENTS = any_scope("payments:write", "payments:approve")  # approvers must see them too
ASK = scope("ask")
READ = scope("records:read")
WRITE = scope("records:write")

_T = "/tenants/{tenantId}"

ROUTE_POLICY: dict[str, Rule] = {
    # ---- public or authenticated otherwise
    "GET /health": NO_AUTHORIZER,
    "GET /openapi.json": NO_AUTHORIZER,  # the API description (not deployed in prod)
    "GET /docs": NO_AUTHORIZER,
    "GET /xero/callback": NO_AUTHORIZER,  # the OAuth `state` binds it to the Okta user
    "POST /webhooks/xero": NO_AUTHORIZER,  # x-xero-signature
    "POST /webhooks/solaris": NO_AUTHORIZER,  # Solaris-Webhook-Signature
    # ---- Xero connections
    "POST /xero/connect": XERO_CONNECT,
    "GET /xero/connections": SIGNED_IN,  # lists only the caller's granted tenants
    "DELETE /xero/connections/{tenantId}": SIGNED_IN,  # handler: admin or the connecting user
    # ---- payments
    f"GET {_T}/payments": SEE_PAYMENTS,
    f"POST {_T}/payments": PAY,
    f"POST {_T}/payments/batch": PAY,
    f"GET {_T}/payments/{{id}}": SEE_PAYMENTS,
    f"POST {_T}/payments/{{id}}/approve": APPROVE,
    f"POST {_T}/payments/{{id}}/reject": APPROVE,
    f"POST {_T}/payments/{{id}}/reverse": PAY,
    f"POST {_T}/payments/{{id}}/confirm": APPROVE,  # the TAN of a payment's second factor
    # ---- questions about the books
    f"POST {_T}/ask": ASK,
    # ---- records: accounts, contacts, invoices, items
    **{
        route: rule
        for kind in ("accounts", "contacts", "invoices", "items")
        for route, rule in {
            f"GET {_T}/{kind}": READ,
            f"POST {_T}/{kind}": WRITE,
            f"GET {_T}/{kind}/{{id}}": READ,
            f"PUT {_T}/{kind}/{{id}}": WRITE,
            f"POST {_T}/{kind}/{{id}}": WRITE,  # Xero's update verb, if a handler mirrors it
            f"DELETE {_T}/{kind}/{{id}}": WRITE,
            f"POST {_T}/{kind}/{{id}}/void": WRITE,
            f"POST {_T}/{kind}/{{id}}/email": WRITE,  # sends mail as the organisation
            f"POST {_T}/{kind}/{{id}}/archive": WRITE,
            f"GET {_T}/{kind}/{{id}}/history": READ,
            f"POST {_T}/{kind}/{{id}}/history": WRITE,
            f"PUT {_T}/{kind}/{{id}}/history": WRITE,
            f"GET {_T}/{kind}/{{id}}/notes": READ,
            f"POST {_T}/{kind}/{{id}}/notes": WRITE,
            f"PUT {_T}/{kind}/{{id}}/notes": WRITE,
            f"GET {_T}/{kind}/{{id}}/attachments": READ,
            f"GET {_T}/{kind}/{{id}}/attachments/{{name}}": READ,
            f"POST {_T}/{kind}/{{id}}/attachments": WRITE,
            f"PUT {_T}/{kind}/{{id}}/attachments/{{name}}": WRITE,
            f"POST {_T}/{kind}/{{id}}/attachments/{{name}}": WRITE,
        }.items()
    },
    # ---- records: attachments, on every document Xero takes them on
    **{
        route: rule
        for kind in ATTACHMENT_KINDS
        for route, rule in {
            f"GET {_T}/{kind}/{{id}}/attachments": READ,
            f"GET {_T}/{kind}/{{id}}/attachments/{{name}}": READ,
            f"POST {_T}/{kind}/{{id}}/attachments": WRITE,
        }.items()
    },
    f"POST {_T}/contacts/upsert": WRITE,
    # ---- administration
    f"POST {_T}/xero/raw": ADMIN_ONLY,
}

_PARAMETER = re.compile(r"\{[^/{}]+?(\+?)\}")


def normalise(route_key: str) -> str:
    """``"post /a/{x}/b/{proxy+}"`` → ``"POST /a/{}/b/{+}"`` (parameter names do not matter)."""
    method, _, path = route_key.strip().partition(" ")
    path = path.strip()
    if len(path) > 1:
        path = path.rstrip("/")
    return f"{method.upper()} {_PARAMETER.sub(lambda m: '{' + m.group(1) + '}', path)}"


_NORMALISED: dict[str, Rule] = {normalise(key): rule for key, rule in ROUTE_POLICY.items()}


def rule_for(route_key: str | None) -> Rule | None:
    """The rule for an API Gateway route key (``"POST /tenants/{tenantId}/ask"``), or None."""
    if not isinstance(route_key, str) or " " not in route_key:
        return None  # e.g. "$default": never allowed
    return _NORMALISED.get(normalise(route_key))


def is_allowed(route_key: str | None, scopes: Iterable[str], groups: Iterable[str]) -> bool:
    """Whether a caller with these scopes and groups may call the route (unknown: no)."""
    rule = rule_for(route_key)
    return rule is not None and rule.allows(scopes, list(groups))
