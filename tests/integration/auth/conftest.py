"""Helpers for the authorizer's integration tests: events as API Gateway sends them, hostile
tokens crafted by hand, and a clock the JWKS cache can be moved along with."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack.okta_issuer import DevOktaIssuer
from tests.events import LocalContext, authorizer_event, http_api_event, load_function
from tests.fixtures.virtual_time import ManualClock
from tests.integration.auth.oidc_browser import Browser
from xero_bridge.auth import okta_tokens

ASK = "POST /tenants/{tenantId}/ask"
PAY = "POST /tenants/{tenantId}/payments"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def segment(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{segment(header)}.{segment(claims)}."


def hs256_with(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """HS256 made by hand: PyJWT refuses to use a PEM as an HMAC secret (rightly)."""
    signing_input = f"{segment(header)}.{segment(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def other_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def signed_with(key: rsa.RSAPrivateKey, kid: str, claims: dict[str, Any]) -> str:
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def event_for(route_key: str, authorization: str | None, path: str | None = None) -> dict[str, Any]:
    """The REQUEST authorizer event (payload 2.0) for a request to `route_key`."""
    method, _, template = route_key.partition(" ")
    path = path or template.replace("{tenantId}", "tenant-a").replace("{id}", "p-1")
    headers = {"content-type": "application/json"}
    if authorization is not None:
        headers["authorization"] = authorization
    request = http_api_event(method, path, route_key=route_key, headers=headers)
    return authorizer_event(request, [authorization or "", route_key])


@pytest.fixture
def authorize(okta: DevOktaIssuer) -> Callable[..., dict[str, Any]]:
    """Call the authorizer Lambda: authorize(route_key, authorization_header) -> response."""
    module = load_function("authorizer")

    def call(route_key: str, authorization: str | None) -> dict[str, Any]:
        result = module.lambda_handler(
            event_for(route_key, authorization), LocalContext(function_name="authorizer")
        )
        assert set(result) == {"isAuthorized", "context"}
        return result

    return call


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[ManualClock]:
    """The JWKS cache's notion of time (the process-wide validator reads it)."""
    fake = ManualClock(time.monotonic())
    monkeypatch.setattr(okta_tokens, "_monotonic", fake)
    yield fake


@pytest.fixture
def browser(okta: DevOktaIssuer) -> Iterator[Browser]:
    """A browser (cookie jar, no redirects followed) against the shared dev issuer, whose
    sessions and grants are forgotten before and after the test."""
    okta.reset()
    client = Browser(okta)
    yield client
    client.close()
    okta.reset()
