"""A clientId never makes a second withdrawal (also under concurrency); OKX's rate limit."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from devstack.okx_simulator import OkxSimulator

from .signing import Control, OkxClient, data, refused


def test_a_repeated_client_id_never_makes_a_second_withdrawal(
    okx: OkxClient, okx_sim: OkxSimulator
) -> None:
    first = data(okx.withdraw(amt="100", clientId="bill77"))[0]
    assert refused(okx.withdraw(amt="100", clientId="bill77"), "58404") == "ClientId already exists"
    # Not even with other details: the clientId alone decides.
    refused(okx.withdraw(amt="5", clientId="bill77"), "58404")
    assert [w["wdId"] for w in okx_sim.withdrawals()] == [first["wdId"]]
    assert okx.balance("USDT")["frozenBal"] == "101.5"  # frozen once
    # The retrying client finds the withdrawal by its clientId.
    assert [r["wdId"] for r in okx.history(clientId="bill77")] == [first["wdId"]]


def test_a_client_id_stays_taken_after_its_withdrawal_failed(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    control("POST", "/withdrawals/next", {"outcome": "failure"})
    data(okx.withdraw(clientId="bill78"))
    control("POST", "/clock/advance", {"seconds": 60})
    assert okx.history(clientId="bill78")[0]["state"] == "-1"
    refused(okx.withdraw(clientId="bill78"), "58404")
    assert len(okx_sim.withdrawals()) == 1


def test_client_ids_are_case_sensitive(okx: OkxClient) -> None:
    data(okx.withdraw(clientId="Bill79"))
    data(okx.withdraw(clientId="bill79"))


def test_twenty_concurrent_requests_with_one_client_id_make_one_withdrawal(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    # Let all 20 reach the withdrawal logic at once instead of most being rate limited.
    control("PATCH", "/config", {"limits": {"withdrawal": [100, 1]}})
    start = threading.Barrier(20)

    def attempt(_: int) -> httpx.Response:
        start.wait(timeout=10)
        return okx.withdraw(amt="100", clientId="race1")

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = [r.json()["code"] for r in pool.map(attempt, range(20))]
    assert sorted(answers) == ["0"] + ["58404"] * 19
    assert len(okx_sim.withdrawals()) == 1
    assert okx.balance("USDT")["frozenBal"] == "101.5"


# --- rate limits -----------------------------------------------------------------------


def test_a_seventh_withdrawal_within_a_second_is_rate_limited(
    okx: OkxClient, okx_sim: OkxSimulator, control: Control
) -> None:
    for n in range(6):
        data(okx.withdraw(amt="1", clientId=f"rate{n}"))
    response = okx.withdraw(amt="1", clientId="rate6")
    assert refused(response, "50011", 429) == "Too Many Requests"
    assert len(okx_sim.withdrawals()) == 6  # the refused one was not made
    # Other endpoints have their own limits.
    data(okx.get("/api/v5/asset/balances"))
    # A second later the window has moved on, and the refused request did not count.
    control("POST", "/clock/advance", {"seconds": 1})
    data(okx.withdraw(amt="1", clientId="rate6"))


def test_the_limit_is_per_api_key_and_comes_after_authentication(okx: OkxClient) -> None:
    for _ in range(6):
        data(okx.get("/api/v5/asset/withdrawal-history"))
    refused(okx.get("/api/v5/asset/withdrawal-history"), "50011", 429)
    okx.secret = "wrong"
    refused(okx.get("/api/v5/asset/withdrawal-history"), "50113", 401)


def test_the_public_ticker_is_limited_per_ip(okx: OkxClient) -> None:
    url = f"{okx.base_url}/api/v5/market/ticker?instId=USDT-EUR"
    codes = [okx.http.get(url).json()["code"] for _ in range(21)]
    assert codes == ["0"] * 20 + ["50011"]
