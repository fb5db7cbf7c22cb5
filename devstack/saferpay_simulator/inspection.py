"""The /_sim/ control surface: what tests and `make dev` users drive over HTTP.

POST   /_sim/reset                      everything back to empty, clock offset 0
GET    /_sim/clock · POST /_sim/clock/advance {seconds}
PATCH  /_sim/config {setting: value}    until the next reset
GET    /_sim/calls                      the JSON API calls (RequestId, RetryIndicator, replayed)
GET    /_sim/tokens[/<token>]           payment page sessions
POST   /_sim/tokens/<token>/pay {card_number, exp_month?, exp_year?, cvc?, holder_name?}
                                        (or {"action": "cancel"}): as the page, no browser
POST   /_sim/tokens/<token>/notify      send the notification again (a full round of tries)
GET    /_sim/transactions · GET /_sim/notifications[?token=]
POST   /_sim/faults {kind, path_prefix, status, times, delay, after, behavior, error_name}
GET    /_sim/faults · DELETE /_sim/faults
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from devstack.sim_kit.control import add_clock_routes, add_fault_table_routes
from devstack.sim_kit.control import json_object as _body

from .cards import CardInputError, read_card
from .faults import Fault
from .ledger import PageProblem
from .render import assert_answer
from .state import NotificationAttempt, PageSession, Transaction
from .wire import json_response

if TYPE_CHECKING:
    from .server import SaferpaySimulator


def create_inspection_blueprint(sim: SaferpaySimulator) -> Blueprint:
    bp = Blueprint("saferpay_inspection", __name__, url_prefix="/_sim")
    _add_control_routes(bp, sim)
    _add_payment_routes(bp, sim)
    # Takes Fault's fields as JSON: kind, path_prefix, status, times, delay, after, behavior,
    # error_name.
    add_fault_table_routes(bp, sim.faults, Fault, json_response)
    return bp


def _add_control_routes(bp: Blueprint, sim: SaferpaySimulator) -> None:
    """Reset, the clock, the settings, the API call log."""

    add_clock_routes(
        bp, sim.reset, sim.clock, json_response, show_time=sim.iso, advance=sim.clock.advance
    )

    @bp.patch("/config")
    def patch_config() -> Response:
        """Changes settings until the next reset, e.g. {"notify_retry_delay_real_seconds": 0.1}."""
        changes = _body()
        for name, value in changes.items():
            current = getattr(sim.config, name, None)
            if current is None or not _same_kind(current, value):
                return json_response({"error": f"cannot set {name} to {value!r}"}, 400)
        for name, value in changes.items():
            current = getattr(sim.config, name)
            setattr(sim.config, name, tuple(value) if isinstance(current, tuple) else value)
        return json_response(asdict(sim.config))

    @bp.get("/calls")
    def calls() -> Response:
        with sim.store.lock:
            found = [asdict(c) for c in sim.store.calls]
        return json_response({"calls": found})


def _add_payment_routes(bp: Blueprint, sim: SaferpaySimulator) -> None:
    """Tokens, transactions and notifications: to look at, to pay, to notify again."""

    @bp.get("/tokens")
    def tokens() -> Response:
        with sim.store.lock:
            found = [_session(sim, s) for s in sim.store.sessions.values()]
        return json_response({"tokens": found})

    @bp.get("/tokens/<token>")
    def token(token: str) -> Response:
        with sim.store.lock:
            session = sim.store.sessions.get(token)
            return _unknown_token() if session is None else json_response(_session(sim, session))

    @bp.post("/tokens/<token>/pay")
    def pay(token: str) -> Response:
        """Pays (or with {"action": "cancel"} aborts) as the page would, without a browser.
        Body: {card_number, exp_month?, exp_year?, cvc?, holder_name?}."""
        try:
            transaction = _pay_as_the_page(sim, token, _body())
        except PageProblem as problem:
            return json_response({"error": problem.message}, problem.status)
        except CardInputError as invalid:
            return json_response({"error": "invalid card", "problems": invalid.messages}, 400)
        return json_response(_transaction(transaction))

    @bp.post("/tokens/<token>/notify")
    def notify(token: str) -> Response:
        """Sends the token's notification again now (a full round of tries); answers them."""
        with sim.store.lock:
            session = sim.store.sessions.get(token)
        if session is None:
            return _unknown_token()
        attempts = sim.notifier.send(session)
        return json_response({"attempts": [_attempt(sim, a) for a in attempts]})

    @bp.get("/transactions")
    def transactions() -> Response:
        with sim.store.lock:
            found = [_transaction(t) for t in sim.store.transactions.values()]
        return json_response({"transactions": found})

    @bp.get("/notifications")
    def notifications() -> Response:
        wanted = request.args.get("token")
        with sim.store.lock:
            found = [
                _attempt(sim, a)
                for a in sim.store.notifications
                if wanted is None or a.token == wanted
            ]
        return json_response({"notifications": found})


def _unknown_token() -> Response:
    return json_response({"error": "unknown token"}, 404)


def _pay_as_the_page(sim: SaferpaySimulator, token: str, data: dict[str, Any]) -> Transaction:
    if data.get("action") == "cancel":
        return sim.ledger.abort(token)
    today = sim.clock.now_dt().date()
    form = {
        "CardNumber": str(data.get("card_number", "")),
        "ExpMonth": str(data.get("exp_month", 12)),
        "ExpYear": str(data.get("exp_year", today.year + 3)),
        "VerificationCode": str(data.get("cvc", "123")),
        "HolderName": str(data.get("holder_name", "")),
    }
    return sim.ledger.pay(token, read_card(form, today), "127.0.0.1")


def _same_kind(current: Any, value: Any) -> bool:
    if isinstance(current, bool) or isinstance(value, bool):
        return isinstance(current, bool) and isinstance(value, bool)
    if isinstance(current, int | float):
        return isinstance(value, int | float) and (
            isinstance(current, float) or isinstance(value, int)
        )
    if isinstance(current, tuple):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(current))


def _session(sim: SaferpaySimulator, session: PageSession) -> dict[str, Any]:
    """The session with what Initialize asked for alongside its token, times and state."""
    return {
        "token": session.token,
        **asdict(session.request),
        "created_at": sim.iso(session.created_at),
        "expires_at": sim.iso(session.expires_at),
        "status": session.status,
        "transaction_id": session.transaction_id,
        "expired": session.status == "OPEN" and sim.clock.now() >= session.expires_at,
        "redirect_url": sim.page_url(session),
    }


def _transaction(transaction: Transaction) -> dict[str, Any]:
    data = assert_answer(transaction)
    data["Token"] = transaction.token
    if transaction.failure is not None:
        data["Transaction"]["Status"] = "FAILED"
        data["Failure"] = {"ErrorName": transaction.failure.name}
    return data


def _attempt(sim: SaferpaySimulator, attempt: NotificationAttempt) -> dict[str, Any]:
    data = asdict(attempt)
    data["at"] = sim.iso(attempt.at)
    return data
