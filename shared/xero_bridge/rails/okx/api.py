"""The OKX calls the rail makes, one function each, with OKX's strings read as Decimal.

OKX writes every number as a string ("0.9215", "1.5"); `decimal_of` reads one exactly and
refuses anything else, so no amount ever passes through a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from xero_bridge.errors import UpstreamError
from xero_bridge.rails.okx.client import OkxApiError, OkxClient

CURRENCIES = "/api/v5/asset/currencies"
TICKER = "/api/v5/market/ticker"
BALANCES = "/api/v5/asset/balances"
WITHDRAWAL = "/api/v5/asset/withdrawal"
HISTORY = "/api/v5/asset/withdrawal-history"
UNKNOWN_INSTRUMENT = "51001"


def decimal_of(value: Any, name: str) -> Decimal:
    """One of OKX's number strings as a Decimal (UpstreamError for anything else)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise UpstreamError(f"OKX answered {name} that is not a number string")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise UpstreamError(f"OKX answered {name} that is not a number") from None
    if not number.is_finite():
        raise UpstreamError(f"OKX answered {name} that is not a finite number")
    return number


@dataclass(frozen=True)
class Chain:
    """One currency on one chain, as GET /api/v5/asset/currencies describes it."""

    ccy: str
    chain: str
    can_withdraw: bool
    min_withdrawal: Decimal
    max_withdrawal: Decimal
    tick_decimals: int  # wdTickSz: the decimal places a withdrawal's amt may have
    fee: Decimal  # charged on top of amt, in ccy


@dataclass(frozen=True)
class Ticker:
    inst_id: str
    last: Decimal
    ts_ms: int


class OkxApi:
    def __init__(self, client: OkxClient) -> None:
        self.client = client

    def chain(self, ccy: str, chain: str) -> Chain | None:
        for row in self.client.get(CURRENCIES, {"ccy": ccy}):
            if row.get("ccy") == ccy and row.get("chain") == chain:
                return _chain(row)
        return None

    def ticker(self, inst_id: str) -> Ticker | None:
        try:
            rows = self.client.get(TICKER, {"instId": inst_id}, signed=False)
        except OkxApiError as exc:
            if exc.code == UNKNOWN_INSTRUMENT:
                return None
            raise
        if not rows:
            return None
        row = rows[0]
        try:
            ts_ms = int(str(row.get("ts")))
        except ValueError:
            raise UpstreamError("OKX answered a ticker time that is not milliseconds") from None
        return Ticker(inst_id, decimal_of(row.get("last"), "a price"), ts_ms)

    def available(self, ccy: str) -> Decimal:
        """The funding account's available balance of `ccy` (0 when it holds none)."""
        for row in self.client.get(BALANCES, {"ccy": ccy}):
            if row.get("ccy") == ccy:
                return decimal_of(row.get("availBal"), "a balance")
        return Decimal(0)

    def withdraw(self, body: dict[str, str]) -> dict[str, Any]:
        rows = self.client.post(WITHDRAWAL, body)
        if not rows or not rows[0].get("wdId"):
            raise UpstreamError("OKX accepted the withdrawal but answered no wdId")
        return rows[0]

    def withdrawal(
        self, *, client_id: str | None = None, wd_id: str | None = None
    ) -> dict[str, Any] | None:
        """The withdrawal with that clientId or wdId, as the history holds it (None: none)."""
        params = {"clientId": client_id or "", "wdId": wd_id or ""}
        for row in self.client.get(HISTORY, params):
            if (not client_id or row.get("clientId") == client_id) and (
                not wd_id or row.get("wdId") == wd_id
            ):
                return row
        return None


def _chain(row: dict[str, Any]) -> Chain:
    try:
        tick = int(str(row.get("wdTickSz")))
    except ValueError:
        raise UpstreamError("OKX answered a wdTickSz that is not a whole number") from None
    return Chain(
        ccy=str(row.get("ccy")),
        chain=str(row.get("chain")),
        can_withdraw=row.get("canWd") is True or row.get("canWd") == "true",
        min_withdrawal=decimal_of(row.get("minWd"), "a minimum withdrawal"),
        max_withdrawal=decimal_of(row.get("maxWd"), "a maximum withdrawal"),
        tick_decimals=tick,
        fee=decimal_of(row.get("fee"), "a fee"),
    )
