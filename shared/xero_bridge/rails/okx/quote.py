"""A quote: the bill's amount in crypto at OKX's market price, good for a few minutes.

    price         = OKX's last price of <ccy>-<bill currency> (bill currency per 1 ccy)
    crypto amount = amount / price, rounded DOWN to the chain's withdrawal tick (wdTickSz)
    fee           = the chain's withdrawal fee (GET /api/v5/asset/currencies), on top

All Decimal, from OKX's strings; never a float. A quote is stored on the payment as text
(`as_data`), approved by its id, and expires OKX_QUOTE_TTL_SECONDS after it was made: an
approval after that gets a new quote to approve instead, so nothing moves on a stale price.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from xero_bridge.errors import ValidationFailedError
from xero_bridge.rails.errors import (
    BelowMinimumWithdrawalError,
    CurrencyNotSupportedError,
    WithdrawalsSuspendedError,
)
from xero_bridge.rails.okx.api import Chain, OkxApi

CENT = Decimal("0.01")


def tick(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def crypto_amount(amount: Decimal, price: Decimal, decimals: int) -> Decimal:
    """`amount` (bill currency) in crypto at `price`, rounded down to `decimals` places."""
    return (amount / price).quantize(tick(decimals), rounding=ROUND_DOWN)


def in_bill_currency(crypto: Decimal, price: Decimal) -> Decimal:
    """A crypto amount (e.g. the fee) in the bill's currency, to the cent."""
    return (crypto * price).quantize(CENT, rounding=ROUND_HALF_UP)


def make_quote(
    api: OkxApi,
    *,
    amount: Decimal,
    currency: str,
    ccy: str,
    chain: str,
    ttl_seconds: int,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A new quote (as stored on the payment), or the 422 that says why there is none."""
    now = now or datetime.now(UTC)
    spec = api.chain(ccy, chain)
    if spec is None:
        raise ValidationFailedError(
            f"OKX does not withdraw {ccy} on {chain}",
            [{"field": "crypto.chain", "ccy": ccy, "chain": chain}],
        )
    if not spec.can_withdraw:
        raise WithdrawalsSuspendedError(
            f"OKX has suspended {ccy} withdrawals on {chain} for now: try again later",
            [{"field": "crypto.chain", "chain": chain}],
        )
    pair = f"{ccy}-{currency}"
    ticker = api.ticker(pair)
    if ticker is None or ticker.last <= 0:
        raise CurrencyNotSupportedError(
            f"OKX has no market for {pair}: a bill in {currency} cannot be quoted in {ccy}",
            [{"field": "invoice_id", "currency": currency, "pair": pair}],
        )
    crypto = crypto_amount(amount, ticker.last, spec.tick_decimals)
    _check_limits(spec, crypto, amount, currency)
    quoted_at = now.isoformat(timespec="milliseconds")
    quote = {
        "pair": pair,
        "price": format(ticker.last, "f"),
        "price_at": _iso(datetime.fromtimestamp(ticker.ts_ms / 1000, UTC)),
        "quoted_at": quoted_at,
        "expires_at": (now + timedelta(seconds=ttl_seconds)).isoformat(timespec="milliseconds"),
        "amount": f"{amount:.2f}",
        "currency": currency,
        "ccy": ccy,
        "chain": chain,
        "crypto_amount": format(crypto, "f"),
        "tick_size": format(tick(spec.tick_decimals), "f"),
        "fee": format(spec.fee, "f"),
        "fee_ccy": ccy,
        "fee_in_currency": f"{in_bill_currency(spec.fee, ticker.last):.2f}",
        "min_withdrawal": format(spec.min_withdrawal, "f"),
        "total_debit": format(crypto + spec.fee, "f"),
    }
    quote["quote_id"] = quote_id(quote)
    return quote


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _check_limits(spec: Chain, crypto: Decimal, amount: Decimal, currency: str) -> None:
    if crypto < spec.min_withdrawal:
        raise BelowMinimumWithdrawalError(
            f"{amount:.2f} {currency} is {crypto} {spec.ccy}, less than OKX's minimum"
            f" withdrawal of {spec.min_withdrawal} {spec.ccy} on {spec.chain}",
            [
                {
                    "field": "amount",
                    "crypto_amount": format(crypto, "f"),
                    "min_withdrawal": format(spec.min_withdrawal, "f"),
                    "ccy": spec.ccy,
                }
            ],
        )
    if crypto > spec.max_withdrawal:
        raise ValidationFailedError(
            f"{crypto} {spec.ccy} is more than OKX's largest withdrawal on {spec.chain}"
            f" ({spec.max_withdrawal})",
            [{"field": "amount", "max_withdrawal": format(spec.max_withdrawal, "f")}],
        )


def quote_id(quote: dict[str, Any]) -> str:
    """A short id naming exactly this quote (its price, time and amounts)."""
    text = "|".join(
        str(quote[k]) for k in ("pair", "price", "quoted_at", "amount", "crypto_amount", "fee")
    )
    return "q_" + hashlib.sha256(text.encode()).hexdigest()[:20]


def is_fresh(quote: dict[str, Any] | None, now: datetime | None = None) -> bool:
    if not quote or not quote.get("expires_at"):
        return False
    now = now or datetime.now(UTC)
    return now < datetime.fromisoformat(str(quote["expires_at"]))


def seconds_left(quote: dict[str, Any] | None, now: datetime | None = None) -> int:
    if not quote or not quote.get("expires_at"):
        return 0
    now = now or datetime.now(UTC)
    left = (datetime.fromisoformat(str(quote["expires_at"])) - now).total_seconds()
    return max(0, int(left))
