"""The principal and its encoding in the authorizer context (flat strings only)."""

from __future__ import annotations

import json

import pytest

from tests.events import http_api_event
from xero_bridge.auth.principal import Principal
from xero_bridge.errors import UnauthorizedError


def test_the_context_round_trips_and_holds_only_strings() -> None:
    principal = Principal(
        sub="alice@example.com",
        email="alice@example.com",
        groups=["finance", "Finance Team"],
        scopes=["payments:write", "ask"],
        token_id="AT.abc",
        client_id="0oa1",
    )
    context = principal.to_context()
    assert all(isinstance(value, str) for value in context.values())
    assert context["scopes"] == "payments:write ask"
    assert json.loads(context["groups"]) == ["finance", "Finance Team"]
    event = http_api_event("POST", "/tenants/t1/ask", authorizer_context=context)
    assert Principal.from_event(event) == principal


def test_an_empty_context_value_means_none() -> None:
    principal = Principal.from_context(
        {"sub": "bob@example.com", "email": "", "groups": "[]", "scopes": ""}
    )
    assert principal.email is None
    assert principal.groups == []
    assert principal.scopes == []


def test_space_separated_groups_are_tolerated() -> None:
    principal = Principal.from_context({"sub": "x", "groups": "finance approvers"})
    assert principal.groups == ["finance", "approvers"]


@pytest.mark.parametrize(
    ("scopes", "groups", "admin"),
    [(["admin"], [], True), ([], ["admin"], True), (["ask"], ["finance"], False)],
)
def test_is_admin(scopes: list[str], groups: list[str], admin: bool) -> None:
    assert Principal(sub="s", scopes=scopes, groups=groups).is_admin is admin


@pytest.mark.parametrize(
    "event",
    [
        http_api_event("GET", "/x"),
        http_api_event("GET", "/x", authorizer_context={}),
        http_api_event("GET", "/x", authorizer_context={"sub": ""}),
        http_api_event("GET", "/x", authorizer_context={"sub": "a", "groups": "[1, 2]"}),
        http_api_event("GET", "/x", authorizer_context={"sub": "a", "groups": "[not json"}),
        {"requestContext": {"authorizer": {"jwt": {}}}},
        {},
    ],
)
def test_no_authorizer_context_is_unauthorized(event: dict) -> None:
    with pytest.raises(UnauthorizedError):
        Principal.from_event(event)
