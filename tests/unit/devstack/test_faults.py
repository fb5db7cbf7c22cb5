"""The simulator's injected faults, without a server: what Faults.add accepts and what an
error fault answers (a 429 with Xero's Retry-After and X-Rate-Limit-Problem)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devstack.xero_simulator.faults import FaultMiddleware, Faults


def _call(faults: Faults, path: str = "/api.xro/2.0/Invoices") -> tuple[str, dict[str, str], Any]:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(
        FaultMiddleware(app, faults)({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start_response)
    )
    return seen["status"], seen["headers"], json.loads(body)


def test_a_429_fault_defaults_to_one_second_on_the_minute_limit():
    faults = Faults()
    fault = faults.add(kind="error", status=429)
    assert (fault.retry_after, fault.problem) == (1, "minute")
    status, headers, body = _call(faults)
    assert status == "429 Too Many Requests"
    assert headers["Retry-After"] == "1" and headers["X-Rate-Limit-Problem"] == "minute"
    assert headers["Content-Length"] == str(len(json.dumps(body).encode()))
    assert body["Status"] == 429 and body["Title"] == "Too Many Requests"
    assert body["Detail"] == "Rate limit exceeded: minute"
    assert set(body) == {"Type", "Title", "Status", "Detail", "Instance", "Extensions"}


def test_a_429_fault_says_which_limit_and_how_long():
    faults = Faults()
    faults.add(kind="error", status=429, retry_after=3600, problem="daily", times=2)
    for _ in range(2):
        _, headers, body = _call(faults)
        assert headers["Retry-After"] == "3600" and headers["X-Rate-Limit-Problem"] == "daily"
        assert body["Detail"] == "Rate limit exceeded: daily"
    status, _, _ = _call(faults)
    assert status == "200 OK"  # used up


def test_other_error_faults_keep_their_shape_and_have_no_limit_headers():
    faults = Faults()
    faults.add(kind="error", status=503, retry_after=9)
    faults.add(kind="error", status=500)
    status, headers, body = _call(faults)
    assert status.startswith("503 ") and body["Title"] == "Service Unavailable"
    assert "Retry-After" not in headers and "X-Rate-Limit-Problem" not in headers
    status, _, body = _call(faults)
    assert status.startswith("500 ") and body["Title"] == "Server Error"
    assert body["Detail"] == "Simulated fault"


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "explode"},
        {"retry_after": -1},
        {"retry_after": 1.5},
        {"retry_after": "30"},
        {"retry_after": True},
        {"problem": "hourly"},
    ],
)
def test_add_refuses_what_xero_would_never_send(bad: dict[str, Any]):
    faults = Faults()
    with pytest.raises(ValueError):
        faults.add(**{"kind": "error", "status": 429, **bad})
    assert faults.active() == []


def test_sim_control_routes_are_never_faulted():
    faults = Faults()
    faults.add(kind="error", status=429, path_prefix="/")
    status, _, _ = _call(faults, "/_sim/faults")
    assert status == "200 OK"
    assert len(faults.active()) == 1
