"""The route policy: every route of the README and template.yaml has a rule, and rules mean
what they say."""

from __future__ import annotations

import pytest

from devstack.okta.directory import API_SCOPES
from devstack.template import SamTemplate
from xero_bridge.auth import route_policy
from xero_bridge.auth.route_policy import ROUTE_POLICY, is_allowed, normalise, rule_for

T = "/tenants/{tenantId}"


@pytest.mark.parametrize(
    ("route_key", "needs"),
    [
        ("POST /xero/connect", {"xero:connect"}),
        (f"POST {T}/payments", {"payments:write"}),
        (f"POST {T}/payments/batch", {"payments:write"}),
        (f"GET {T}/payments", {"payments:write", "payments:approve"}),
        (f"GET {T}/payments/{{id}}", {"payments:write", "payments:approve"}),
        (f"POST {T}/payments/{{id}}/approve", {"payments:approve"}),
        (f"POST {T}/payments/{{id}}/reject", {"payments:approve"}),
        (f"POST {T}/payments/{{id}}/reverse", {"payments:write"}),
        (f"POST {T}/ask", {"ask"}),
        (f"GET {T}/invoices", {"records:read"}),
        (f"POST {T}/invoices", {"records:write"}),
        (f"GET {T}/contacts/{{id}}", {"records:read"}),
        (f"PUT {T}/items/{{id}}", {"records:write"}),
        (f"DELETE {T}/items/{{id}}", {"records:write"}),
        (f"POST {T}/invoices/{{id}}/void", {"records:write"}),
        (f"POST {T}/invoices/{{id}}/email", {"records:write"}),
        (f"POST {T}/contacts/{{id}}/archive", {"records:write"}),
        (f"GET {T}/invoices/{{id}}/history", {"records:read"}),
        (f"GET {T}/accounts/{{id}}/attachments", {"records:read"}),
        (f"POST {T}/contacts/upsert", {"records:write"}),
        (f"POST {T}/xero/raw", {"admin"}),
    ],
)
def test_each_route_needs_exactly_its_scopes(route_key: str, needs: set[str]) -> None:
    for scope in API_SCOPES:  # every scope a token can carry
        assert is_allowed(route_key, [scope], []) is (scope in needs), (route_key, scope)
    assert not is_allowed(route_key, [], [])
    assert is_allowed(route_key, [*sorted(needs)[:1], "other"], [])


def test_signed_in_routes_need_only_a_valid_token() -> None:
    assert is_allowed("GET /xero/connections", [], [])
    assert is_allowed("DELETE /xero/connections/{tenantId}", [], [])


def test_the_admin_group_satisfies_admin_routes_and_nothing_else() -> None:
    assert is_allowed(f"POST {T}/xero/raw", [], ["admin"])
    assert not is_allowed(f"POST {T}/xero/raw", [], ["finance", "Admin", "admins"])
    assert not is_allowed(f"POST {T}/payments", ["admin"], ["admin"])
    assert not is_allowed(f"POST {T}/payments/{{id}}/approve", ["admin"], ["admin"])


def test_a_group_named_like_a_scope_is_not_a_scope() -> None:
    assert not is_allowed(f"POST {T}/payments", [], ["payments:write"])


@pytest.mark.parametrize(
    "route_key",
    [
        "GET /nowhere",
        "$default",
        "",
        None,
        "POST /tenants/{tenantId}/unknown",
        "PATCH /tenants/{tenantId}/payments",
        "ANY /tenants/{tenantId}/payments",
        "POST /tenants/{tenantId}/payments/{id}/approve/extra",
    ],
)
def test_unknown_routes_are_denied(route_key: str | None) -> None:
    assert rule_for(route_key) is None
    assert not is_allowed(route_key, ["admin", "payments:write", "records:write"], ["admin"])


def test_parameter_names_and_case_do_not_matter() -> None:
    assert normalise("post /tenants/{tid}/payments/{paymentId}/") == "POST /tenants/{}/payments/{}"
    assert normalise("GET /files/{proxy+}") == "GET /files/{+}"
    assert rule_for("POST /tenants/{tid}/payments/{paymentId}/approve") == rule_for(
        f"POST {T}/payments/{{id}}/approve"
    )


def test_routes_outside_the_authorizer_are_marked_so() -> None:
    for key in ("GET /health", "GET /xero/callback", "POST /webhooks/xero"):
        assert not ROUTE_POLICY[key].behind_authorizer


def test_every_route_of_the_template_has_a_rule_matching_its_auth() -> None:
    """A route added to template.yaml without a rule here would be denied to everyone."""
    routes = SamTemplate().routes()
    assert routes, "template.yaml has no HttpApi routes"
    for route in routes:
        rule = rule_for(route.route_key)
        assert rule is not None, f"{route.route_key} has no rule in route_policy.ROUTE_POLICY"
        assert rule.behind_authorizer is (route.authorizer is not None), route.route_key


def test_rule_descriptions_are_readable() -> None:
    assert route_policy.SEE_PAYMENTS.describe() == "payments:approve or payments:write"
    assert route_policy.SIGNED_IN.describe() == "signed in"
    assert route_policy.NO_AUTHORIZER.describe() == "no authorizer"
