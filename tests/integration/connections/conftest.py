"""Xero connections with moto for AWS: the token store and manager with a fake Xero
identity, and the whole flow against the simulator over loopback.

``manager`` is a TokenManager whose Xero identity is ``identity`` (a FakeIdentity) and whose
domain events land in ``published``; ``connect(...)`` stores a token set and its tenants'
connections as the callback would.
``xero_env`` points the product at the simulator: the app secret holds the simulator's demo
client (and its custom-connection client), XERO_* URLs are the simulator's, the redirect
URI is a loopback one the simulator accepts. ``connect_user`` drives the whole browser flow:
POST /xero/connect → the simulator's consent form (submitted with httpx) → GET /xero/callback.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from aws_lambda_powertools.utilities import parameters

from tests.events import call_handler, http_api_event
from tests.fixtures.xero import REDIRECT_URI, point_product_at
from tests.integration.connections.fakes import FakeIdentity
from xero_bridge.auth.principal import Principal
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import token_sets
from xero_bridge.persistence.connections import Connection
from xero_bridge.persistence.token_sets import TokenSet
from xero_bridge.settings import get_settings
from xero_bridge.xero import client as client_module
from xero_bridge.xero import identity as identity_module
from xero_bridge.xero.tokens import TokenManager, token_manager

FRONTEND = "http://localhost:5173"


def context(sub: str, scopes: str = "xero:connect", groups: list[str] | None = None) -> dict:
    return Principal(sub=sub, scopes=scopes.split(), groups=groups or []).to_context()


def reset_all() -> None:
    get_settings.cache_clear()
    parameters.clear_caches()
    identity_module.reset_identity_caches()
    client_module.reset_client_caches()
    token_manager.forget()


@pytest.fixture
def xero_env(aws: Any, xero_sim: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    point_product_at(xero_sim, aws["AppSecret"].ref, monkeypatch)
    monkeypatch.setenv("ALLOWED_RETURN_ORIGINS", FRONTEND)
    reset_all()
    yield xero_sim
    reset_all()


def oauth(
    method: str,
    path: str,
    *,
    ctx: dict | None = None,
    body: Any = None,
    query: dict | None = None,
    headers: dict | None = None,
    route_key: str | None = None,
    path_parameters: dict | None = None,
) -> dict[str, Any]:
    event = http_api_event(
        method,
        path,
        route_key=route_key,
        path_parameters=path_parameters,
        query=query,
        headers=headers,
        body=body,
        authorizer_context=ctx,
    )
    return call_handler("oauth", event)


def consent(authorize_url: str, tenant_ids: list[str], decision: str = "allow") -> dict[str, str]:
    """Open Xero's consent page and submit it; the callback's query parameters."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200, page.text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        form: dict[str, Any] = {**fields, "tenant_ids": tenant_ids, "decision": decision}
        parts = urlsplit(authorize_url)
        answer = browser.post(f"{parts.scheme}://{parts.netloc}{action}", data=form)
    assert answer.status_code in (302, 303), answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def start() -> Callable[..., str]:
    def go(sub: str = "alice", return_to: str | None = None) -> str:
        body = {"return_to": return_to} if return_to else None
        response = oauth("POST", "/xero/connect", ctx=context(sub), body=body)
        assert response["statusCode"] == 200, response
        return json.loads(response["body"])["authorize_url"]

    return go


@pytest.fixture
def connect_user(start: Callable[..., str]) -> Callable[..., dict[str, Any]]:
    def go(sub: str, tenant_ids: list[str], return_to: str | None = None) -> dict[str, Any]:
        params = consent(start(sub, return_to), tenant_ids)
        return oauth("GET", "/xero/callback", query=params)

    return go


# ---------------------------------------------------------------- the token manager, no Xero
@pytest.fixture
def identity() -> FakeIdentity:
    return FakeIdentity()


@pytest.fixture
def published() -> list[tuple[str, dict[str, Any]]]:
    return []


@pytest.fixture
def manager(aws: Any, identity: FakeIdentity, published: list) -> Iterator[TokenManager]:
    yield TokenManager(
        identity_for=lambda kind: identity,  # type: ignore[arg-type,return-value]
        publish=lambda detail_type, detail: published.append((detail_type, detail)),
    )


@pytest.fixture
def connect(manager: TokenManager, identity: FakeIdentity) -> Callable[..., TokenSet]:
    """Store a token set (as the callback would) reaching `tenants`; returns it."""

    def make(
        tenants: tuple[str, ...] = ("tenant-a",),
        expires_in: int = 1800,
        kind: str = "authorization_code",
        refresh_age_days: int = 0,
    ) -> TokenSet:
        issued = identity.issue(expires_in=expires_in, refresh=kind == "authorization_code")
        token_set = manager.new_token_set(
            uuid.uuid4().hex,
            kind,
            issued.access_token,
            issued.refresh_token,
            int(time.time()) + expires_in,
            issued.scopes,
            "alice",
        )
        if refresh_age_days:
            issued_at = int(time.time()) - refresh_age_days * 86400
            token_set = token_set.model_copy(
                update={
                    "refresh_token_issued_at": issued_at,
                    "refresh_due_at": manager.due_at(
                        token_set.model_copy(update={"refresh_token_issued_at": issued_at})
                    ),
                }
            )
        stored = token_sets.save_token_set(token_set, expected_version=None)
        for tenant in tenants:
            connection_store.put_connection(
                Connection(
                    tenant_id=tenant,
                    tenant_name=tenant.upper(),
                    token_set_id=stored.token_set_id,
                    connection_id=f"conn-{tenant}",
                    connected_by="alice",
                    kind="oauth" if kind == "authorization_code" else "custom",
                )
            )
        return stored

    return make
