"""The local gateway behaves as API Gateway (HTTP API, payload 2.0) does, over loopback."""

import base64
import json
from pathlib import Path

import httpx
import pytest

from devstack.lambda_runtime import load_handler_module
from devstack.template import SamTemplate
from tests.fixtures.gateway import gateway_serving, local_functions

APP = Path(__file__).parent / "gateway_app"


@pytest.fixture(scope="module")
def gateway_url():
    template = SamTemplate(APP / "template.yaml")
    with gateway_serving(template, local_functions(template, prefix="gw_")) as server:
        yield server.url


@pytest.fixture
def authorizer_calls():
    module, _ = load_handler_module(APP / "allow", "app.lambda_handler", "lambda_gw_AllowFunction")
    module.CALLS.clear()
    return module.CALLS


def test_the_event_has_the_payload_2_0_shape(gateway_url, authorizer_calls):
    response = httpx.get(
        f"{gateway_url}/tenants/t-1/items/i-9?a=1&a=2&b=x",
        headers={"Authorization": "Bearer good", "X-Custom-Header": "Value"},
    )
    assert response.status_code == 201
    assert response.headers["x-echo"] == "yes"
    assert response.headers["set-cookie"].startswith("a=1")
    event = response.json()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /tenants/{tenantId}/items/{id}"
    assert event["rawPath"] == "/tenants/t-1/items/i-9"
    assert event["rawQueryString"] == "a=1&a=2&b=x"
    assert event["queryStringParameters"] == {"a": "1,2", "b": "x"}
    assert event["pathParameters"] == {"tenantId": "t-1", "id": "i-9"}
    assert event["requestContext"]["http"]["method"] == "GET"
    assert event["headers"]["x-custom-header"] == "Value"
    assert all(key == key.lower() for key in event["headers"])
    assert event["requestContext"]["authorizer"]["lambda"] == {
        "sub": "alice@example.com",
        "scopes": "a b",
    }
    assert event["isBase64Encoded"] is False


def test_a_literal_segment_wins_over_a_parameter(gateway_url):
    response = httpx.get(
        f"{gateway_url}/tenants/t-1/items/search", headers={"Authorization": "Bearer good"}
    )
    assert response.json()["routeKey"] == "GET /tenants/{tenantId}/items/search"


def test_bodies_arrive_as_text_or_base64(gateway_url):
    text = httpx.post(f"{gateway_url}/upload", json={"amount": "10.00"}).json()
    assert json.loads(text["body"]) == {"amount": "10.00"}
    assert text["isBase64Encoded"] is False
    raw = bytes(range(256))
    binary = httpx.post(
        f"{gateway_url}/upload", content=raw, headers={"Content-Type": "application/pdf"}
    ).json()
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == raw


def test_no_identity_source_is_401_without_calling_the_authorizer(gateway_url, authorizer_calls):
    response = httpx.get(f"{gateway_url}/tenants/t-1/items/i-1")
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
    assert authorizer_calls == []


def test_a_refusal_is_403(gateway_url, authorizer_calls):
    response = httpx.get(
        f"{gateway_url}/tenants/t-1/items/i-1", headers={"Authorization": "Bearer bad"}
    )
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden"}
    assert authorizer_calls[0]["type"] == "REQUEST"
    assert authorizer_calls[0]["identitySource"] == [
        "Bearer bad",
        "GET /tenants/{tenantId}/items/{id}",
    ]


def test_verdicts_are_cached_per_token_and_route(gateway_url, authorizer_calls):
    headers = {"Authorization": "Bearer good-for-caching"}
    for _ in range(3):
        assert httpx.get(f"{gateway_url}/tenants/t-2/items/x", headers=headers).status_code == 201
    assert len(authorizer_calls) == 1
    # Same token, another route: a new verdict, not the cached allow.
    assert httpx.delete(f"{gateway_url}/tenants/t-2/items/x", headers=headers).status_code == 403
    assert len(authorizer_calls) == 2


def test_open_routes_skip_the_authorizer(gateway_url, authorizer_calls):
    response = httpx.get(f"{gateway_url}/plain")
    assert response.status_code == 200
    assert response.json() == {"plain": True}
    assert response.headers["content-type"] == "application/json"
    assert authorizer_calls == []


def test_unknown_routes_and_failing_handlers(gateway_url):
    assert httpx.get(f"{gateway_url}/nowhere").status_code == 404
    failed = httpx.get(f"{gateway_url}/boom")
    assert failed.status_code == 500
    assert failed.json() == {"message": "Internal Server Error"}


def test_cors_preflight_and_origin(gateway_url):
    origin = "http://localhost:5173"
    preflight = httpx.options(f"{gateway_url}/upload", headers={"Origin": origin})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin
    other = httpx.get(f"{gateway_url}/plain", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
