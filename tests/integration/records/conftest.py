"""The records handler against the Xero simulator over loopback, with moto for AWS.

``records`` connects DEMO_TENANT_A for ``alice`` through the real OAuth flow (the connections
fixtures: POST /xero/connect → the simulator's consent form → GET /xero/callback), so the
shared client's token manager, the grant and the call budget are all the real ones.
``api(method, path, ...)`` calls the records handler as Lambda would and returns
(status, JSON body or raw bytes, headers).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from devstack.xero_simulator import DEMO_TENANT_A, DEMO_TENANT_B
from tests.events import call_handler, http_api_event
from tests.integration.connections.conftest import (  # noqa: F401  (fixtures)
    connect_user,
    start,
    xero_env,
)
from xero_bridge.auth.principal import Principal

TENANT = DEMO_TENANT_A
OTHER_TENANT = DEMO_TENANT_B
RW = "records:read records:write"


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]
    raw: bytes


def api(
    method: str,
    path: str,
    *,
    sub: str = "alice",
    scopes: str = RW,
    groups: list[str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    context = Principal(sub=sub, scopes=scopes.split(), groups=groups or []).to_context()
    event = http_api_event(
        method, path, query=query, body=body, headers=headers, authorizer_context=context
    )
    result = call_handler("records", event)
    raw = result.get("body") or ""
    data = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode()
    content_type = {k.lower(): v for k, v in (result.get("headers") or {}).items()}.get(
        "content-type", ""
    )
    parsed: Any = data
    if "json" in content_type and data:
        parsed = json.loads(data)
    return Answer(result["statusCode"], parsed, dict(result.get("headers") or {}), data)


@pytest.fixture
def records(xero_env: Any, connect_user: Callable[..., dict[str, Any]]) -> Any:  # noqa: F811
    """The simulator, with DEMO_TENANT_A connected by alice (who is granted it)."""
    answer = connect_user("alice", [TENANT])
    assert answer["statusCode"] in (200, 302), answer
    return xero_env
