"""The JSON shapes of OKX's answers: currencies, balances, withdrawals and tickers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .config import ChainSpec
from .ledger import Balance
from .lifecycle import Withdrawal
from .wire import ms, number

# A made-up but stable order book around the demo price.
_TICK = Decimal("0.0001")


def currency(spec: ChainSpec, wd_quota_usd: Decimal, used_usd: Decimal) -> dict[str, Any]:
    fee = number(spec.fee)
    return {
        "ccy": spec.ccy,
        "name": spec.name,
        "logoLink": "",
        "chain": spec.chain,
        "ctAddr": spec.ct_addr,
        "canDep": spec.can_dep,
        "canWd": spec.can_wd,
        "canInternal": True,
        "depEstOpenTime": "",
        "wdEstOpenTime": "",
        "minDep": "0.00000001",
        "minWd": number(spec.min_wd),
        "minInternal": "0.000001",
        "maxWd": number(spec.max_wd),
        "wdTickSz": str(spec.wd_tick_sz),
        "wdQuota": number(wd_quota_usd),
        "usedWdQuota": number(used_usd),
        "fee": fee,
        # Deprecated by OKX in favour of `fee`, still sent: they equal the fixed fee.
        "minFee": fee,
        "maxFee": fee,
        "minFeeForCtAddr": fee,
        "maxFeeForCtAddr": fee,
        "burningFeeRate": "",
        "mainNet": spec.main_net,
        "needTag": False,
        "minDepArrivalConfirm": str(spec.min_dep_arrival_confirm),
        "minWdUnlockConfirm": str(spec.min_wd_unlock_confirm),
        "depQuotaFixed": "",
        "usedDepQuotaFixed": "",
        "depQuoteDailyLayer2": "",
    }


def balance(ccy: str, value: Balance) -> dict[str, str]:
    return {
        "ccy": ccy,
        "bal": number(value.bal),
        "frozenBal": number(value.frozen),
        "availBal": number(value.avail),
    }


def withdrawal_created(withdrawal: Withdrawal) -> dict[str, str]:
    return {
        "amt": withdrawal.amt_text,
        "wdId": withdrawal.wd_id,
        "ccy": withdrawal.ccy,
        "clientId": withdrawal.client_id,
        "chain": withdrawal.chain,
    }


def withdrawal_record(withdrawal: Withdrawal, account_login: str) -> dict[str, Any]:
    return {
        "ccy": withdrawal.ccy,
        "chain": withdrawal.chain,
        "nonTradableAsset": False,
        "amt": number(withdrawal.amt),
        "ts": ms(withdrawal.created_at),
        "from": account_login,
        "areaCodeFrom": "",
        "to": withdrawal.to,
        "areaCodeTo": "",
        "toAddrType": "1",
        "txId": withdrawal.tx_id,
        "fee": number(withdrawal.fee),
        "feeCcy": withdrawal.ccy,
        "state": withdrawal.state,
        "wdId": withdrawal.wd_id,
        "clientId": withdrawal.client_id,
        "note": "",
    }


def ticker(inst_id: str, last: Decimal, now: float) -> dict[str, str]:
    price = number(last)
    return {
        "instType": "SPOT",
        "instId": inst_id,
        "last": price,
        "lastSz": "125.5",
        "askPx": number(last + _TICK),
        "askSz": "20000",
        "bidPx": number(last - _TICK),
        "bidSz": "20000",
        "open24h": price,
        "high24h": number(last + 10 * _TICK),
        "low24h": number(last - 10 * _TICK),
        "volCcy24h": "1843215.2",
        "vol24h": "2000000",
        "ts": ms(now),
        "sodUtc0": price,
        "sodUtc8": price,
    }
