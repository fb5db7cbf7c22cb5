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


def _refused(fault: dict[str, Any]) -> None:
    """Adding `fault` is refused, and no fault is left active."""
    faults = Faults()
    with pytest.raises(ValueError):
        faults.add(**fault)
    assert faults.active() == []


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
    _refused({"kind": "error", "status": 429, **bad})


def test_sim_control_routes_are_never_faulted():
    faults = Faults()
    faults.add(kind="error", status=429, path_prefix="/")
    status, _, _ = _call(faults, "/_sim/faults")
    assert status == "200 OK"
    assert len(faults.active()) == 1


# ---------------------------------------------------------------------------- chaos


def _outcomes(faults: Faults, requests: int, path: str = "/api.xro/2.0/Invoices") -> list[str]:
    """The status line's code of each of `requests` GETs in turn."""
    return [_call(faults, path)[0].split()[0] for _ in range(requests)]


def test_chaos_strikes_about_its_share_of_matching_requests():
    faults = Faults()
    fault = faults.add(kind="error", status=503, times=None, probability=0.15, seed=7)
    outcomes = _outcomes(faults, 2000)
    assert 240 <= outcomes.count("503") <= 360  # 300 expected; the seed makes it exact
    assert outcomes.count("503") + outcomes.count("200") == 2000
    assert fault.hits == outcomes.count("503")
    assert faults.injected() == {"503": fault.hits}
    assert faults.active() == [fault]  # times=None: until cleared


def test_chaos_with_a_seed_is_reproducible():
    def run(seed: int | None) -> list[str]:
        faults = Faults()
        faults.add(kind="error", status=503, times=None, probability=0.3, seed=seed)
        return _outcomes(faults, 200)

    assert run(42) == run(42)
    assert run(42) != run(43)
    assert "503" in run(42) and "200" in run(42)


def test_times_counts_the_requests_chaos_struck_not_the_ones_it_let_through():
    faults = Faults()
    fault = faults.add(kind="error", status=503, times=3, probability=0.5, seed=1)
    outcomes = _outcomes(faults, 100)
    assert outcomes.count("503") == 3
    assert fault.hits == 3 and faults.active() == []
    third = max(i for i, outcome in enumerate(outcomes) if outcome == "503")
    assert outcomes[:third].count("200") >= 1  # requests it let through did not use it up


def test_a_request_chaos_lets_through_may_meet_the_next_fault():
    faults = Faults()
    never = faults.add(kind="error", status=503, times=None, probability=0.0)
    limited = faults.add(kind="error", status=429, times=None, probability=0.5, seed=3)
    other_path = faults.add(
        kind="error", path_prefix="/api.xro/2.0/Contacts", status=500, times=None
    )
    outcomes = _outcomes(faults, 400)
    assert set(outcomes) == {"200", "429"}
    assert never.hits == 0 and other_path.hits == 0
    assert limited.hits == outcomes.count("429")
    assert 150 <= limited.hits <= 250
    assert faults.injected() == {"429": limited.hits}
    _, headers, _ = next(r for r in (_call(faults) for _ in range(50)) if r[0].startswith("429"))
    assert headers["Retry-After"] == "1"  # chaos 429s are shaped like the others


def test_clear_forgets_the_counts_but_a_fault_keeps_its_hits():
    faults = Faults()
    fault = faults.add(kind="error", status=503, times=None)
    _outcomes(faults, 5)
    assert faults.injected() == {"503": 5}
    faults.clear()
    assert faults.injected() == {} and fault.hits == 5
    assert _outcomes(faults, 1) == ["200"]


@pytest.mark.parametrize(
    "bad",
    [
        {"probability": -0.1},
        {"probability": 1.5},
        {"probability": float("nan")},
        {"probability": "0.5"},
        {"probability": True},
        {"probability": None},
        {"seed": "abc"},
        {"seed": 1.5},
        {"seed": False},
    ],
)
def test_add_refuses_chaos_that_means_nothing(bad: dict[str, Any]):
    _refused({"kind": "error", "status": 503, **bad})


def test_chaos_over_the_control_route():
    from devstack.xero_simulator import XeroSimulator

    sim = XeroSimulator()  # not started: the Flask app alone
    client = sim.app.test_client()
    plain = client.post("/_sim/faults", json={"kind": "error", "status": 503})
    assert plain.status_code == 201
    assert set(plain.get_json()) == {
        "kind",
        "path_prefix",
        "status",
        "delay",
        "times",
        "retry_after",
        "problem",
    }  # a plain fault answers as before chaos existed (None values are left out)
    client.delete("/_sim/faults")
    chaos = client.post(
        "/_sim/faults",
        json={
            "kind": "error",
            "status": 429,
            "path_prefix": "/api.xro/2.0/Invoices",
            "method": "get",
            "times": None,
            "probability": 0.25,
            "seed": 11,
            "hits": 99,  # a counter, not an argument: ignored like any unknown key
        },
    )
    assert chaos.status_code == 201, chaos.get_json()
    answer = chaos.get_json()
    assert (answer["probability"], answer["seed"]) == (0.25, 11)
    assert "hits" not in answer and "times" not in answer  # times None: until cleared
    [fault] = sim.faults.active()
    assert (fault.probability, fault.seed, fault.method, fault.hits) == (0.25, 11, "GET", 0)
    for _ in range(40):
        sim.faults.take("GET", "/api.xro/2.0/Invoices")
    listed = client.get("/_sim/faults").get_json()
    assert listed["faults"][0]["hits"] == fault.hits > 0
    assert listed["injected"] == {"429": fault.hits}
    for bad in ({"probability": 2}, {"probability": "often"}, {"seed": "x"}):
        refused = client.post("/_sim/faults", json={"kind": "error", **bad})
        assert refused.status_code == 400, bad
        assert "error" in refused.get_json()
    assert client.delete("/_sim/faults").status_code == 204
    assert client.get("/_sim/faults").get_json() == {"faults": [], "injected": {}}
