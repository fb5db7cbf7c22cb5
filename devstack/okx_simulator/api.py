"""OKX's v5 REST endpoints the product uses: funding account, withdrawals, one ticker."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from . import views
from .errors import OkxError, missing, ok
from .gate import private, public
from .lifecycle import CANCELED, FAILED, Withdrawal
from .requests import json_body, limit_param, ms_param, text_param, withdrawal_request
from .wire import ms

if TYPE_CHECKING:
    from .server import OkxSimulator

DAY = timedelta(days=1).total_seconds()


def create_api_blueprint(sim: OkxSimulator) -> Blueprint:
    bp = Blueprint("okx_api", __name__, url_prefix="/api/v5")
    _add_public_routes(bp, sim)
    _add_account_routes(bp, sim)
    _add_withdrawal_routes(bp, sim)
    return bp


def _add_public_routes(bp: Blueprint, sim: OkxSimulator) -> None:
    @bp.get("/public/time")
    def server_time() -> Response:
        public(sim, request, "time")
        return ok([{"ts": ms(sim.clock.now())}])

    @bp.get("/market/ticker")
    def market_ticker() -> Response:
        public(sim, request, "ticker")
        inst_id = text_param(request.args, "instId")
        if not inst_id:
            raise missing("instId")
        last = sim.config.tickers.get(inst_id)
        if last is None:
            raise OkxError("51001")
        return ok([views.ticker(inst_id, last, sim.clock.now())])


def _add_account_routes(bp: Blueprint, sim: OkxSimulator) -> None:
    @bp.get("/asset/currencies")
    def currencies() -> Response:
        private(sim, request, "currencies")
        wanted = _ccy_list(request.args)
        used = _used_quota_usd(sim)
        config = sim.config
        return ok(
            [
                views.currency(spec, config.wd_quota_usd, used)
                for spec in config.chains
                if not wanted or spec.ccy in wanted
            ]
        )

    @bp.get("/asset/balances")
    def balances() -> Response:
        private(sim, request, "balances")
        wanted = _ccy_list(request.args)
        with sim.ledger.lock:
            sim.ledger.settle()
            rows = [
                views.balance(ccy, value)
                for ccy, value in sorted(sim.ledger.balances.items())
                if value.bal > 0 and (not wanted or ccy in wanted)
            ]
        return ok(rows)


def _add_withdrawal_routes(bp: Blueprint, sim: OkxSimulator) -> None:
    @bp.post("/asset/withdrawal")
    def withdrawal() -> Response:
        if private(sim, request, "withdrawal").demo_trading:
            raise OkxError("50038")
        body = json_body(request.content_type, request.get_data(as_text=True))
        created = sim.ledger.withdraw(withdrawal_request(body, sim.config))
        return ok([views.withdrawal_created(created)])

    @bp.post("/asset/cancel-withdrawal")
    def cancel_withdrawal() -> Response:
        if private(sim, request, "cancel-withdrawal").demo_trading:
            raise OkxError("50038")
        body = json_body(request.content_type, request.get_data(as_text=True))
        cancelled = sim.ledger.cancel(text_param(body, "wdId", required=True))
        return ok([{"wdId": cancelled.wd_id}])

    @bp.get("/asset/withdrawal-history")
    def withdrawal_history() -> Response:
        credential = private(sim, request, "withdrawal-history")
        if credential.demo_trading:
            return ok([])  # demo trading has no withdrawals
        records = _history(sim, request.args)
        login = sim.config.account_login
        return ok([views.withdrawal_record(w, login) for w in records])


def _ccy_list(params: Any) -> set[str]:
    return {c.strip() for c in text_param(params, "ccy").split(",") if c.strip()}


def _history(sim: OkxSimulator, params: Any) -> list[Withdrawal]:
    """Newest first, filtered as OKX filters (every given parameter must match)."""
    filters = {
        "ccy": text_param(params, "ccy"),
        "wd_id": text_param(params, "wdId"),
        "client_id": text_param(params, "clientId"),
        "tx_id": text_param(params, "txId"),
        "state": text_param(params, "state"),
    }
    kind = text_param(params, "type")
    after, before = ms_param(params, "after"), ms_param(params, "before")
    limit = limit_param(params)
    with sim.ledger.lock:
        sim.ledger.settle()
        found = [
            w
            for w in sim.ledger.withdrawals.values()
            if all(not v or getattr(w, k) == v for k, v in filters.items())
            and kind in ("", "4")
            and (after is None or int(ms(w.created_at)) < after)
            and (before is None or int(ms(w.created_at)) > before)
        ]
    found.sort(key=lambda w: (w.created_at, int(w.wd_id)), reverse=True)
    return found[:limit]


def _used_quota_usd(sim: OkxSimulator) -> Decimal:
    """USD value of the last 24 h of withdrawals that did not fail or get cancelled."""
    now = sim.clock.now()
    tickers = sim.config.tickers
    with sim.ledger.lock:
        return sum(
            (
                w.amt * tickers.get(f"{w.ccy}-USD", Decimal(1))
                for w in sim.ledger.withdrawals.values()
                if w.created_at > now - DAY and w.state not in (FAILED, CANCELED)
            ),
            Decimal(0),
        )
