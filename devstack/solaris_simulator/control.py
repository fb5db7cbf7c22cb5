"""The /_sim/ control surface: what tests and people at `make dev` drive over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response

from devstack.sim_kit.control import add_clock_routes, add_fault_table_routes
from devstack.sim_kit.control import json_object as _body

from .api_accounts import balance_body
from .faults import Fault
from .wire import iso, json_response

if TYPE_CHECKING:
    from .server import SolarisSimulator

# Settings a running simulator may change (credentials and ids stay as started).
TEXT_FIELDS = {"webhook_url", "webhook_secret"}
NUMBER_FIELDS = {
    "execution_delay", "token_ttl", "verification_ttl", "tan_ttl", "max_tan_attempts",
    "webhook_timeout", "webhook_backoff", "webhook_backoff_factor", "webhook_max_attempts",
}  # fmt: skip
CONFIG_FIELDS = TEXT_FIELDS | NUMBER_FIELDS


def _config_problem(name: str, value: Any) -> str | None:
    if name not in CONFIG_FIELDS:
        return f"cannot change {name}"
    if name == "webhook_url" and value is None:
        return None
    if name in TEXT_FIELDS and not (isinstance(value, str) and value):
        return f"{name} must be a non-empty string"
    if name in NUMBER_FIELDS and (
        isinstance(value, bool) or not isinstance(value, int | float) or value < 0
    ):
        return f"{name} must be a number, 0 or more"
    return None


def _problem(message: str, status: int = 400) -> Response:
    return json_response({"error": message}, status)


def create_control_blueprint(sim: SolarisSimulator) -> Blueprint:
    bp = Blueprint("solaris_control", __name__, url_prefix="/_sim")
    _clock_routes(bp, sim)
    _state_routes(bp, sim)
    _webhook_routes(bp, sim)
    add_fault_table_routes(bp, sim.faults, Fault, json_response)
    return bp


def _clock_routes(bp: Blueprint, sim: SolarisSimulator) -> None:
    add_clock_routes(bp, sim.reset, sim.clock, json_response, show_time=iso)

    @bp.post("/clock/advance")
    def advance() -> Response:
        seconds = _body().get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            return _problem("seconds must be a number of seconds, 0 or more")
        return json_response(sim.advance(float(seconds)))

    @bp.post("/settle")
    def settle() -> Response:
        """Executes (or declines) accepted transfers now: one (`transfer_id`) or all."""
        return json_response(sim.settle(_body().get("transfer_id")))


def _state_routes(bp: Blueprint, sim: SolarisSimulator) -> None:
    @bp.get("/transfers")
    def transfers() -> Response:
        with sim.bank.lock:
            listed = [
                {**t.render(), "account_id": t.account_id, "due_at": iso(t.due_at)}
                for t in sorted(sim.bank.transfers.values(), key=lambda t: t.created_at)
            ]
        return json_response({"count": len(listed), "transfers": listed})

    @bp.get("/change_requests")
    def change_requests() -> Response:
        with sim.bank.lock:
            listed = [_change_request(c, sim.url) for c in sim.bank.change_requests.values()]
        return json_response({"count": len(listed), "change_requests": listed})

    @bp.get("/verifications")
    def verifications() -> Response:
        with sim.bank.lock:
            listed = [v.render() for v in sim.bank.verifications.values()]
        return json_response({"count": len(listed), "verifications": listed})

    @bp.get("/balance")
    def balance() -> Response:
        return json_response(balance_body(sim.bank))

    @bp.put("/balance")
    def set_balance() -> Response:
        value = _body().get("value")
        if isinstance(value, bool) or not isinstance(value, int):
            return _problem("value must be an integer number of cents")
        sim.bank.set_balance(value)
        return balance()

    @bp.patch("/config")
    def patch_config() -> Response:
        changes = _body()
        problems = [p for n, v in changes.items() if (p := _config_problem(n, v))]
        if problems:
            return _problem("; ".join(problems))
        for name, value in changes.items():
            setattr(sim.config, name, value)
        return json_response({name: getattr(sim.config, name) for name in sorted(CONFIG_FIELDS)})

    @bp.get("/calls")
    def calls() -> Response:
        with sim.calls_lock:
            listed = list(sim.calls)
        return json_response({"count": len(listed), "calls": listed})


def _change_request(change: Any, base_url: str) -> dict[str, Any]:
    return {
        **change.render(base_url),
        "reference": change.request.reference,
        "transfer_id": change.transfer_id,
        "delivery_method": change.delivery_method,
        "tan": change.tan,  # what the SMS would have said (demo data, not a secret)
        "tan_expires_at": iso(change.tan_expires_at) if change.tan_expires_at else None,
        "wrong_tans": change.wrong_tans,
    }


def _webhook_routes(bp: Blueprint, sim: SolarisSimulator) -> None:
    @bp.get("/webhooks")
    def webhooks() -> Response:
        listed = [n.render() for n in sim.webhooks.all()]
        attempts = sum(len(n["attempts"]) for n in listed)
        return json_response({"count": len(listed), "attempts": attempts, "notifications": listed})

    @bp.post("/webhooks/deliver")
    def deliver() -> Response:
        return json_response(sim.tick())

    @bp.post("/webhooks/<notification_id>/redeliver")
    def redeliver(notification_id: str) -> Response:
        if sim.webhooks.get(notification_id) is None:
            return _problem("no such notification", 404)
        attempt = sim.webhooks.redeliver(notification_id)
        if attempt is None:
            return _problem("no webhook_url is configured", 409)
        return json_response(attempt.render())

    @bp.post("/webhooks/<notification_id>/drop")
    def drop(notification_id: str) -> Response:
        note = sim.webhooks.drop(notification_id)
        if note is None:
            return _problem("no such notification", 404)
        return json_response(note.render())
