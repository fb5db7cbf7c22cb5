"""The authorizer behind the local gateway, configured as template.yaml configures it: 401
without a token, 403 when denied, the principal in the function's event when allowed, and a
cached allow for one route never reused for another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.lambda_runtime import load_handler_module
from devstack.okta_issuer import DevOktaIssuer
from devstack.template import SamTemplate
from tests.fixtures.gateway import gateway_serving, local_functions

APP = Path(__file__).parent / "gateway_app"


@pytest.fixture
def gateway(okta: DevOktaIssuer) -> Iterator[tuple[str, list[Any]]]:
    template = SamTemplate(APP / "template.yaml")
    with gateway_serving(template, local_functions(template, prefix="okta_gw_")) as server:
        echo, _ = load_handler_module(
            APP / "echo", "app.lambda_handler", "lambda_okta_gw_EchoFunction"
        )
        echo.CALLS.clear()
        yield server.url, echo.CALLS


def test_no_token_is_401_and_a_denied_one_403(
    gateway: tuple[str, list[Any]], okta: DevOktaIssuer
) -> None:
    url, calls = gateway
    assert httpx.post(f"{url}/tenants/t1/ask").status_code == 401
    expired = okta.mint("alice", scopes=["ask"], exp=1, iat=0)
    response = httpx.post(f"{url}/tenants/t1/ask", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 403
    assert calls == []


def test_the_function_sees_the_principal(
    gateway: tuple[str, list[Any]], okta: DevOktaIssuer
) -> None:
    url, calls = gateway
    token = okta.mint("alice", scopes=["ask", "records:read"], groups=["finance", "Team A"])
    response = httpx.post(f"{url}/tenants/t1/ask", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {
        "sub": "alice@example.com",
        "email": "alice@example.com",
        "groups": ["finance", "Team A"],
        "scopes": ["ask", "records:read"],
        "token_id": calls[0]["requestContext"]["authorizer"]["lambda"]["token_id"],
        "client_id": okta.client_id,
    }


def test_a_cached_allow_is_not_reused_for_another_route(
    gateway: tuple[str, list[Any]], okta: DevOktaIssuer
) -> None:
    url, calls = gateway
    headers = {"Authorization": f"Bearer {okta.mint('alice', scopes=['ask'])}"}
    for _ in range(3):
        assert httpx.post(f"{url}/tenants/t1/ask", headers=headers).status_code == 200
        assert httpx.post(f"{url}/tenants/t1/payments", headers=headers).status_code == 403
        approve = f"{url}/tenants/t1/payments/p1/approve"
        assert httpx.post(approve, headers=headers).status_code == 403
    assert len(calls) == 3  # only the ask calls reached the function


def test_the_template_configures_the_authorizer_this_way() -> None:
    """template.yaml must key the authorizer cache on the route too (see this test's app)."""
    template = SamTemplate()
    api = next(iter(template.of_type("AWS::Serverless::HttpApi").values()))["Properties"]
    spec = api["Auth"]["Authorizers"]["OktaAuthorizer"]
    assert api["Auth"]["DefaultAuthorizer"] == "OktaAuthorizer"
    assert spec["AuthorizerPayloadFormatVersion"] == "2.0"
    assert spec["EnableSimpleResponses"] is True
    assert spec["EnableFunctionDefaultPermissions"] is True
    (authorizer,) = template.authorizers().values()
    assert authorizer.identity_headers == ("authorization",)
    assert authorizer.identity_context == ("routeKey",)
    assert 0 < authorizer.ttl_seconds <= 300
    environment = template.functions()[authorizer.function_id]["Environment"]["Variables"]
    assert {"OKTA_ISSUER", "OKTA_AUDIENCE"} <= set(environment)
    assert "Policies" not in template.functions()[authorizer.function_id]  # needs no AWS access
