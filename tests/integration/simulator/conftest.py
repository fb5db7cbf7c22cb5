"""Helpers for the simulator's own tests: a connected token and an API client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from devstack.xero_simulator import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_TENANT_A,
    DEMO_TENANT_B,
    XeroSimulator,
)

REDIRECT_URI = "http://127.0.0.1:9999/callback"


def exchange(sim: XeroSimulator, code: str, **extra: str) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, **extra}
    return httpx.post(
        f"{sim.url}/connect/token", data=data, auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    )


def refresh(sim: XeroSimulator, refresh_token: str) -> httpx.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return httpx.post(
        f"{sim.url}/connect/token", data=data, auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    )


@dataclass
class Api:
    sim: XeroSimulator
    tokens: dict[str, Any]
    tenant_id: str = DEMO_TENANT_A

    def headers(self, **extra: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.tokens['access_token']}",
            "xero-tenant-id": self.tenant_id,
            "Accept": "application/json",
            **extra,
        }

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers(**kwargs.pop("headers", {}))
        return httpx.request(
            method, f"{self.sim.url}/api.xro/2.0{path}", headers=headers, timeout=10, **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def api(xero_sim: XeroSimulator) -> Api:
    code = xero_sim.issue_authorization_code([DEMO_TENANT_A, DEMO_TENANT_B], REDIRECT_URI)
    response = exchange(xero_sim, code)
    assert response.status_code == 200, response.text
    return Api(xero_sim, response.json())
