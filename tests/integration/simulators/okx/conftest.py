"""One OKX simulator for these tests (port 0), reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from devstack.okx_simulator import OkxSimulator
from tests.fixtures.loopback import running

from .signing import OkxClient


@pytest.fixture(scope="session")
def okx_simulator() -> Iterator[OkxSimulator]:
    yield from running(OkxSimulator())


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    """One connection pool for every test (a new httpx client per call costs ~0.1 s)."""
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def okx_sim(okx_simulator: OkxSimulator) -> OkxSimulator:
    okx_simulator.reset()
    return okx_simulator


@pytest.fixture
def okx(okx_sim: OkxSimulator, http: httpx.Client) -> OkxClient:
    return OkxClient(okx_sim.url, okx_sim.clock.now, http)


@pytest.fixture
def control(okx_sim: OkxSimulator, http: httpx.Client) -> Any:
    """POSTs/PUTs/PATCHes to /_sim/..., asserting success; returns the JSON answer."""

    def call(method: str, path: str, body: Any = None) -> Any:
        response = http.request(method, f"{okx_sim.url}/_sim{path}", json=body)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    return call
