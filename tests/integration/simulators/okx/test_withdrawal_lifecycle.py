"""A withdrawal's life: OKX's states over simulated time, the money they move, cancelling,
and GET /api/v5/asset/withdrawal-history's view of it."""

from __future__ import annotations

import re

import pytest

from devstack.okx_simulator import OkxSimulator

from .signing import VERIFIED_ADDRESS, Control, OkxClient, data, refused

STEP = 10.0  # OkxConfig.state_seconds: simulated seconds per state
UNTOUCHED = {"ccy": "USDT", "bal": "50000", "frozenBal": "0", "availBal": "50000"}


def _withdraw(okx: OkxClient, client_id: str, amt: str = "100") -> str:
    return str(data(okx.withdraw(amt=amt, clientId=client_id))[0]["wdId"])


def _state(okx: OkxClient, wd_id: str) -> str:
    return str(okx.history(wdId=wd_id)[0]["state"])


def test_a_withdrawal_goes_from_pending_to_broadcast_to_success(
    okx: OkxClient, control: Control
) -> None:
    wd_id = _withdraw(okx, "bill1")
    record = okx.history(wdId=wd_id)[0]
    assert record["state"] == "0" and record["txId"] == ""
    assert (record["amt"], record["fee"], record["feeCcy"]) == ("100", "1.5", "USDT")
    assert (record["to"], record["chain"], record["clientId"]) == (
        VERIFIED_ADDRESS,
        "USDT-TRC20",
        "bill1",
    )
    assert abs(int(record["ts"]) / 1000 - okx.now()) < 5

    control("POST", "/clock/advance", {"seconds": STEP})
    broadcast = okx.history(wdId=wd_id)[0]
    assert broadcast["state"] == "1" and re.fullmatch(r"[0-9a-f]{64}", broadcast["txId"])
    assert okx.balance("USDT")["frozenBal"] == "101.5"  # still held while in progress

    control("POST", "/clock/advance", {"seconds": STEP})
    done = okx.history(wdId=wd_id)[0]
    assert (done["state"], done["txId"]) == ("2", broadcast["txId"])
    # Deducted: the amount and the fee on top.
    assert okx.balance("USDT") == {
        "ccy": "USDT",
        "bal": "49898.5",
        "frozenBal": "0",
        "availBal": "49898.5",
    }
    control("POST", "/clock/advance", {"seconds": 10 * STEP})
    assert _state(okx, wd_id) == "2"
    assert okx.balance("USDT")["bal"] == "49898.5"  # booked once


def test_a_failed_withdrawal_releases_the_funds(okx: OkxClient, control: Control) -> None:
    control("POST", "/withdrawals/next", {"outcome": "failure"})
    wd_id = _withdraw(okx, "bill2")
    control("POST", "/clock/advance", {"seconds": STEP})
    assert _state(okx, wd_id) == "1"
    control("POST", "/clock/advance", {"seconds": STEP})
    record = okx.history(wdId=wd_id)[0]
    assert record["state"] == "-1" and record["txId"]  # it had been broadcast
    assert okx.balance("USDT") == UNTOUCHED


def test_a_cancelled_withdrawal_releases_the_funds(okx: OkxClient, control: Control) -> None:
    control("POST", "/withdrawals/next", {"outcome": "cancel"})
    wd_id = _withdraw(okx, "bill3")
    control("POST", "/clock/advance", {"seconds": STEP})
    assert _state(okx, wd_id) == "-3"  # canceling: still holding the funds
    assert okx.balance("USDT")["frozenBal"] == "101.5"
    control("POST", "/clock/advance", {"seconds": STEP})
    record = okx.history(wdId=wd_id)[0]
    assert (record["state"], record["txId"]) == ("-2", "")
    assert okx.balance("USDT") == UNTOUCHED


def test_manual_review_holds_the_withdrawal_until_decided(okx: OkxClient, control: Control) -> None:
    control("POST", "/withdrawals/next", {"outcome": "review"})
    wd_id = _withdraw(okx, "bill4")
    control("POST", "/clock/advance", {"seconds": 100 * STEP})
    assert _state(okx, wd_id) == "4"  # waiting manual review, however long
    assert okx.balance("USDT")["frozenBal"] == "101.5"

    control("POST", f"/withdrawals/{wd_id}/outcome", {"outcome": "success"})
    states = []
    for _ in range(3):
        control("POST", "/clock/advance", {"seconds": STEP})
        states.append(_state(okx, wd_id))
    assert states == ["7", "1", "2"]  # approved, broadcast, success
    assert okx.balance("USDT")["bal"] == "49898.5"


@pytest.mark.parametrize("review_state", ["5", "6", "8", "9", "12"])
def test_each_manual_review_state_can_be_scripted_and_rejected(
    okx: OkxClient, control: Control, review_state: str
) -> None:
    control("POST", "/withdrawals/next", {"states": ["0", review_state]})
    wd_id = _withdraw(okx, "bill5")
    control("POST", "/clock/advance", {"seconds": 50 * STEP})
    assert _state(okx, wd_id) == review_state
    control("POST", f"/withdrawals/{wd_id}/outcome", {"states": ["-2"]})
    control("POST", "/clock/advance", {"seconds": STEP})
    assert _state(okx, wd_id) == "-2"
    assert okx.balance("USDT") == UNTOUCHED


@pytest.mark.parametrize(
    ("outcome", "states"),
    [
        ("travel_rule", ["0", "17", "17"]),
        ("hot_wallet", ["0", "19", "19"]),
        ("validation", ["0", "1", "15", "2"]),
        ("local_delay", ["0", "1", "16", "2"]),
    ],
)
def test_other_documented_paths(
    okx: OkxClient, control: Control, outcome: str, states: list[str]
) -> None:
    control("POST", "/withdrawals/next", {"outcome": outcome})
    wd_id = _withdraw(okx, "bill6")
    seen = [_state(okx, wd_id)]
    for _ in states[1:]:
        control("POST", "/clock/advance", {"seconds": STEP})
        seen.append(_state(okx, wd_id))
    assert seen == states


def test_a_state_can_be_forced(okx: OkxClient, control: Control) -> None:
    wd_id = _withdraw(okx, "bill7")
    control("POST", f"/withdrawals/{wd_id}/state", {"state": "-1"})
    assert _state(okx, wd_id) == "-1"
    assert okx.balance("USDT") == UNTOUCHED


def test_outcomes_apply_to_the_next_withdrawals_in_order(okx: OkxClient, control: Control) -> None:
    control("POST", "/withdrawals/next", {"outcome": "failure"})
    failing, succeeding = _withdraw(okx, "bill8"), _withdraw(okx, "bill9", amt="200")
    control("POST", "/clock/advance", {"seconds": 2 * STEP})
    assert (_state(okx, failing), _state(okx, succeeding)) == ("-1", "2")
    assert okx.balance("USDT")["bal"] == "49798.5"  # only the 200 + 1.5 fee left


def test_control_refuses_what_it_cannot_do(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    wd_id = _withdraw(okx, "bill10")
    base = f"{okx_sim.url}/_sim/withdrawals"
    assert okx.http.post(f"{base}/next", json={"outcome": "maybe"}).status_code == 400
    assert okx.http.post(f"{base}/next", json={"states": ["0", "2", "1"]}).status_code == 400
    assert okx.http.post(f"{base}/next", json={"states": ["0", "99"]}).status_code == 400
    assert okx.http.post(f"{base}/123/state", json={"state": "2"}).status_code == 404
    control("POST", f"/withdrawals/{wd_id}/state", {"state": "2"})
    response = okx.http.post(f"{base}/{wd_id}/outcome", json={"outcome": "failure"})
    assert response.status_code == 400  # already final


# --- cancelling ------------------------------------------------------------------------


def test_a_pending_withdrawal_can_be_cancelled(okx: OkxClient, control: Control) -> None:
    wd_id = _withdraw(okx, "bill11")
    answer = data(okx.post("/api/v5/asset/cancel-withdrawal", {"wdId": wd_id}))
    assert answer == [{"wdId": wd_id}]
    assert _state(okx, wd_id) == "-3"
    control("POST", "/clock/advance", {"seconds": STEP})
    assert _state(okx, wd_id) == "-2"
    assert okx.balance("USDT") == UNTOUCHED
    refused(okx.post("/api/v5/asset/cancel-withdrawal", {"wdId": wd_id}), "58220")


def test_a_broadcast_withdrawal_cannot_be_cancelled(okx: OkxClient, control: Control) -> None:
    wd_id = _withdraw(okx, "bill12")
    control("POST", "/clock/advance", {"seconds": STEP})
    refused(okx.post("/api/v5/asset/cancel-withdrawal", {"wdId": wd_id}), "58216")
    control("POST", "/clock/advance", {"seconds": STEP})
    assert _state(okx, wd_id) == "2"


def test_cancelling_an_unknown_withdrawal_is_refused(okx: OkxClient) -> None:
    refused(okx.post("/api/v5/asset/cancel-withdrawal", {"wdId": "1"}), "58215")
    refused(okx.post("/api/v5/asset/cancel-withdrawal", {}), "50014", 400)


# --- the history -----------------------------------------------------------------------


def test_history_finds_withdrawals_by_each_filter(okx: OkxClient, control: Control) -> None:
    # More than OKX's 6 queries a second follow: lift the limit (tested on its own).
    control("PATCH", "/config", {"limits": {"withdrawal-history": [100, 1]}})
    control("POST", "/addresses", {"ccy": "USDC", "chain": "USDC-ERC20", "address": "0xc0"})
    first = _withdraw(okx, "h1")
    control("POST", "/clock/advance", {"seconds": 1})
    second = str(
        data(okx.withdraw(ccy="USDC", chain="USDC-ERC20", toAddr="0xc0", clientId="h2"))[0]["wdId"]
    )
    assert [r["wdId"] for r in okx.history()] == [second, first]  # newest first
    assert [r["wdId"] for r in okx.history(clientId="h1")] == [first]
    assert [r["wdId"] for r in okx.history(wdId=second)] == [second]
    assert [r["wdId"] for r in okx.history(ccy="USDC")] == [second]
    assert [r["wdId"] for r in okx.history(state="0", limit="1")] == [second]
    assert [r["wdId"] for r in okx.history(type="4")] == [second, first]
    assert okx.history(type="3") == []
    first_ts, second_ts = (okx.history(wdId=w)[0]["ts"] for w in (first, second))
    assert [r["wdId"] for r in okx.history(after=second_ts)] == [first]  # earlier than
    assert [r["wdId"] for r in okx.history(before=first_ts)] == [second]  # newer than


def test_history_of_an_unknown_withdrawal_is_empty(okx: OkxClient) -> None:
    assert okx.history(wdId="999") == []
    assert okx.history(clientId="nobody") == []


def test_history_refuses_a_bad_limit(okx: OkxClient) -> None:
    for limit in ("0", "101", "ten"):
        refused(okx.get("/api/v5/asset/withdrawal-history", limit=limit), "51000", 400)


def test_control_lists_withdrawals_with_what_is_ahead(okx: OkxClient, control: Control) -> None:
    control("POST", "/withdrawals/next", {"outcome": "failure"})
    wd_id = _withdraw(okx, "list1")
    listed = control("GET", "/withdrawals")["withdrawals"]
    assert [(w["wdId"], w["state"], w["ahead"]) for w in listed] == [(wd_id, "0", ["1", "-1"])]
