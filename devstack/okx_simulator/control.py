"""The /_sim/ control surface that tests and `make dev` users drive over HTTP (unsigned).

- POST /_sim/reset; GET /_sim/clock; POST /_sim/clock/advance {seconds}
- GET /_sim/withdrawals: every withdrawal, oldest first, with the states still ahead
- POST /_sim/withdrawals/next {outcome | states}: the path of the next new withdrawal(s)
  (queued, one per call); outcomes: success, failure, cancel, review, travel_rule, ...
- POST /_sim/withdrawals/<wdId>/outcome {outcome | states}: what it does from now on
- POST /_sim/withdrawals/<wdId>/state {state}: puts it in that state now
- PUT /_sim/balances {ccy: amount}; POST /_sim/addresses {ccy, chain, address}
- POST /_sim/faults (faults.Fault's fields); GET /_sim/faults; DELETE /_sim/faults
- PATCH /_sim/config {state_seconds, timestamp_window, limits: {endpoint: [count, seconds]}}
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response

from devstack.sim_kit.control import add_clock_routes, add_fault_table_routes
from devstack.sim_kit.control import json_object as _body

from .config import Limit
from .faults import Fault
from .lifecycle import OUTCOMES, STATES, check_path
from .wire import number

if TYPE_CHECKING:
    from .server import OkxSimulator


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _states(data: dict[str, Any]) -> tuple[str, ...] | None:
    return check_path(data["states"]) if "states" in data else None


def _new_path(data: dict[str, Any]) -> tuple[str, ...]:
    """A new withdrawal's path: `states` as given, or the named outcome's."""
    outcome = data.get("outcome", "success")
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
    return _states(data) or OUTCOMES[outcome]


def create_control_blueprint(sim: OkxSimulator) -> Blueprint:
    bp = Blueprint("okx_control", __name__, url_prefix="/_sim")

    @bp.errorhandler(ValueError)
    @bp.errorhandler(KeyError)
    def refused(exc: Exception) -> Response:
        status = 404 if isinstance(exc, KeyError) else 400
        return _json({"error": str(exc.args[0] if exc.args else exc)}, status)

    _add_clock_routes(bp, sim)
    _add_withdrawal_routes(bp, sim)
    _add_account_routes(bp, sim)
    add_fault_table_routes(bp, sim.faults, Fault, _json)
    return bp


def _add_clock_routes(bp: Blueprint, sim: OkxSimulator) -> None:
    add_clock_routes(bp, sim.reset, sim.clock, _json, advance=sim.advance)

    @bp.patch("/config")
    def patch_config() -> Response:
        data = _body()
        for name in ("state_seconds", "timestamp_window"):
            if name in data:
                setattr(sim.config, name, float(data[name]))
        for endpoint, (count, seconds) in (data.get("limits") or {}).items():
            if endpoint not in sim.config.limits:
                raise ValueError(f"no rate limit named {endpoint}")
            sim.config.limits[endpoint] = Limit(int(count), float(seconds))
        return _json({"ok": True})


def _add_withdrawal_routes(bp: Blueprint, sim: OkxSimulator) -> None:
    @bp.get("/withdrawals")
    def withdrawals() -> Response:
        return _json({"withdrawals": sim.withdrawals()})

    @bp.post("/withdrawals/next")
    def plan_next() -> Response:
        path = _new_path(_body())
        sim.ledger.plan_next(path)
        return _json({"states": list(path)})

    @bp.post("/withdrawals/<wd_id>/outcome")
    def replan(wd_id: str) -> Response:
        data = _body()
        sim.ledger.replan(wd_id, data.get("outcome"), _states(data))
        return _json({"ok": True})

    @bp.post("/withdrawals/<wd_id>/state")
    def force_state(wd_id: str) -> Response:
        state = str(_body().get("state", ""))
        if state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}")
        sim.ledger.force_state(wd_id, state)
        return _json({"ok": True})


def _add_account_routes(bp: Blueprint, sim: OkxSimulator) -> None:
    @bp.put("/balances")
    def set_balances() -> Response:
        for ccy, value in _body().items():
            try:
                amount = Decimal(str(value))
            except InvalidOperation:
                raise ValueError(f"{ccy}: {value!r} is not an amount") from None
            sim.ledger.set_balance(ccy, amount)
        with sim.ledger.lock:
            rows = {c: number(b.bal) for c, b in sim.ledger.balances.items()}
        return _json({"balances": rows})

    @bp.post("/addresses")
    def add_address() -> Response:
        data = _body()
        entry = (str(data["ccy"]), str(data["chain"]), str(data["address"]))
        sim.config.verified_addresses.append(entry)
        return _json({"verified_addresses": sim.config.verified_addresses}, 201)
