"""Injected faults: errors before handling, slow answers, dropped connections, and a
withdrawal that is made but whose answer is lost; plus reset."""

from __future__ import annotations

import time

import httpx
import pytest

from devstack.okx_simulator import OkxSimulator

from .signing import Control, OkxClient, data, refused

WITHDRAWAL = "/api/v5/asset/withdrawal"


def test_the_next_calls_fail_with_okx_5xx_bodies_then_recover(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    control(
        "POST", "/faults", {"kind": "error", "path_prefix": WITHDRAWAL, "status": 503, "times": 2}
    )
    for _ in range(2):
        refused(okx.withdraw(clientId="f1"), "50001", 503)
    assert okx_sim.withdrawals() == []  # an error fault answers before anything is made
    data(okx.withdraw(clientId="f1"))
    assert control("GET", "/faults")["faults"] == []


def test_a_500_and_a_gateway_error(okx: OkxClient, control: Control) -> None:
    control("POST", "/faults", {"kind": "error", "status": 500})
    refused(okx.get("/api/v5/asset/balances"), "50026", 500)
    control("POST", "/faults", {"kind": "error", "status": 502})
    response = okx.get("/api/v5/asset/balances")
    assert (response.status_code, response.text) == (502, "502 Bad Gateway")


def test_a_fault_can_target_one_method(okx: OkxClient, control: Control) -> None:
    control("POST", "/faults", {"kind": "error", "method": "POST", "times": None})
    data(okx.get("/api/v5/asset/balances"))
    refused(okx.withdraw(), "50001", 503)
    refused(okx.withdraw(), "50001", 503)
    control("DELETE", "/faults")
    data(okx.withdraw())


def test_a_slow_answer_arrives_late_but_whole(okx: OkxClient, control: Control) -> None:
    control("POST", "/faults", {"kind": "slow", "path_prefix": WITHDRAWAL, "delay": 0.3})
    started = time.monotonic()
    assert data(okx.withdraw(clientId="slow1"))[0]["clientId"] == "slow1"
    assert time.monotonic() - started >= 0.3


def test_a_slow_answer_past_the_client_timeout_still_made_the_withdrawal(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    control("POST", "/faults", {"kind": "slow", "path_prefix": WITHDRAWAL, "delay": 0.5})
    with pytest.raises(httpx.ReadTimeout):
        okx.post(
            WITHDRAWAL,
            {"ccy": "USDT", "amt": "10", "dest": "4", "chain": "USDT-TRC20"}
            | {"toAddr": okx_sim.config.verified_addresses[0][2], "clientId": "slow2"},
            timeout=0.1,
        )
    time.sleep(0.5)
    assert [w["clientId"] for w in okx_sim.withdrawals()] == ["slow2"]


def test_a_dropped_connection_before_handling_makes_nothing(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    control("POST", "/faults", {"kind": "drop", "path_prefix": WITHDRAWAL})
    with pytest.raises(httpx.TransportError):
        okx.withdraw(clientId="drop1")
    assert okx_sim.withdrawals() == []
    data(okx.withdraw(clientId="drop1"))


def test_an_accepted_withdrawal_whose_answer_is_a_5xx(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    control("POST", "/faults", {"kind": "lost", "path_prefix": WITHDRAWAL, "status": 500})
    refused(okx.withdraw(amt="100", clientId="lost1"), "50026", 500)
    # The withdrawal was made: funds frozen, visible by clientId, a retry is refused.
    assert [r["clientId"] for r in okx.history(clientId="lost1")] == ["lost1"]
    assert okx.balance("USDT")["frozenBal"] == "101.5"
    refused(okx.withdraw(amt="100", clientId="lost1"), "58404")
    assert len(okx_sim.withdrawals()) == 1


def test_an_accepted_withdrawal_whose_connection_drops(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    control("POST", "/faults", {"kind": "lost", "then": "drop", "path_prefix": WITHDRAWAL})
    with pytest.raises(httpx.TransportError):
        okx.withdraw(clientId="lost2")
    assert [w["clientId"] for w in okx_sim.withdrawals()] == ["lost2"]


def test_control_routes_are_never_faulted(okx_sim: OkxSimulator, control: Control) -> None:
    control("POST", "/faults", {"kind": "error", "times": None})
    assert control("GET", "/clock")["offset"] == 0


def test_bad_fault_settings_are_refused(okx: OkxClient, okx_sim: OkxSimulator) -> None:
    for bad in ({"kind": "explode"}, {"status": 200}, {"times": 0}, {"then": "maybe"}):
        assert okx.http.post(f"{okx_sim.url}/_sim/faults", json=bad).status_code == 400


def test_reset_forgets_withdrawals_balances_faults_and_time(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    data(okx.withdraw(clientId="reset1"))
    control("PUT", "/balances", {"USDC": "1"})
    control("POST", "/faults", {"kind": "error", "path_prefix": "/api/v5/market", "times": None})
    control("POST", "/clock/advance", {"seconds": 3600})
    control("POST", "/reset")
    assert okx_sim.withdrawals() == [] and control("GET", "/clock")["offset"] == 0
    assert okx.balance("USDC")["bal"] == "20000"
    data(okx.http.get(f"{okx.base_url}/api/v5/market/ticker?instId=USDT-EUR"))
    data(okx.withdraw(clientId="reset1"))  # the clientId is free again
