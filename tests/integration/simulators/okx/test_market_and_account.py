"""The read-only endpoints: a ticker for a quote, currencies (fees, limits), balances."""

from __future__ import annotations

from decimal import Decimal

from devstack import demo_data
from devstack.okx_simulator import OkxSimulator

from .signing import Control, OkxClient, data, refused

TICKER = "/api/v5/market/ticker"


def test_the_ticker_quotes_the_demo_price(okx: OkxClient) -> None:
    for inst_id, last in demo_data.OKX_TICKERS.items():
        row = data(okx.http.get(f"{okx.base_url}{TICKER}", params={"instId": inst_id}))[0]
        assert (row["instId"], Decimal(row["last"])) == (inst_id, last)
        assert Decimal(row["bidPx"]) < Decimal(row["last"]) < Decimal(row["askPx"])
        assert abs(int(row["ts"]) / 1000 - okx.now()) < 5


def test_an_unknown_instrument_is_refused(okx: OkxClient) -> None:
    response = okx.http.get(f"{okx.base_url}{TICKER}", params={"instId": "USDT-XYZ"})
    refused(response, "51001")
    refused(okx.http.get(f"{okx.base_url}{TICKER}"), "50014", 400)


def test_currencies_describe_each_chain(okx: OkxClient) -> None:
    rows = {row["chain"]: row for row in data(okx.get("/api/v5/asset/currencies"))}
    assert {"USDT-TRC20", "USDT-ERC20", "USDC-ERC20"} <= set(rows)
    trc20 = rows["USDT-TRC20"]
    assert (trc20["ccy"], trc20["canWd"], trc20["fee"], trc20["minWd"]) == (
        "USDT",
        True,
        "1.5",
        "0.1",
    )
    assert trc20["minFee"] == trc20["maxFee"] == trc20["fee"]  # deprecated, kept equal
    assert trc20["wdTickSz"] == "6" and trc20["minWdUnlockConfirm"].isdigit()
    for row in rows.values():
        for name in ("minWd", "maxWd", "fee", "wdQuota", "usedWdQuota"):
            Decimal(row[name])  # strings holding plain numbers
        assert isinstance(row["canWd"], bool) and isinstance(row["mainNet"], bool)


def test_currencies_filter_by_ccy(okx: OkxClient) -> None:
    assert {r["ccy"] for r in data(okx.get("/api/v5/asset/currencies", ccy="USDC"))} == {"USDC"}
    both = data(okx.get("/api/v5/asset/currencies", ccy="USDC,USDT"))
    assert {r["ccy"] for r in both} == {"USDC", "USDT"}
    assert data(okx.get("/api/v5/asset/currencies", ccy="DOGE")) == []


def test_used_quota_counts_the_last_day_of_withdrawals(
    okx: OkxClient, okx_sim: OkxSimulator
) -> None:
    data(okx.withdraw(amt="1000", clientId="quota1"))
    used = data(okx.get("/api/v5/asset/currencies", ccy="USDT"))[0]["usedWdQuota"]
    assert Decimal(used) == Decimal("1000") * demo_data.OKX_TICKERS["USDT-USD"]
    okx_sim.advance(86_401)
    assert data(okx.get("/api/v5/asset/currencies", ccy="USDT"))[0]["usedWdQuota"] == "0"


def test_balances_are_the_demo_funding_account(okx: OkxClient) -> None:
    rows = {row["ccy"]: row for row in data(okx.get("/api/v5/asset/balances"))}
    assert set(rows) == set(demo_data.OKX_BALANCES)
    for ccy, amount in demo_data.OKX_BALANCES.items():
        assert Decimal(rows[ccy]["bal"]) == Decimal(rows[ccy]["availBal"]) == amount
        assert rows[ccy]["frozenBal"] == "0"
    assert [r["ccy"] for r in data(okx.get("/api/v5/asset/balances", ccy="USDC"))] == ["USDC"]


def test_balances_leave_out_empty_currencies(okx: OkxClient, control: Control) -> None:
    control("PUT", "/balances", {"USDC": "0", "USDT": "12.5"})
    assert data(okx.get("/api/v5/asset/balances")) == [
        {"ccy": "USDT", "bal": "12.5", "frozenBal": "0", "availBal": "12.5"}
    ]
