"""/_sim/: what tests and `make dev` users drive over HTTP (never authenticated, never faulted).

- POST /_sim/reset · GET /_sim/clock · POST /_sim/clock/advance {seconds | days}
- GET /_sim/resources · GET /_sim/resources/<kind> (payments, mandates, events…)
- GET /_sim/webhooks (sent, with attempts, and pending events)
- POST /_sim/webhooks/deliver {order: "created" | "reverse", separate: bool}
- POST /_sim/webhooks/retry (the retries due now) · POST /_sim/webhooks/<id>/redeliver
- POST /_sim/faults {kind, status, times, path_prefix, method, delay, json} · GET · DELETE
- PATCH /_sim/config {name: value}
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response

from devstack.sim_kit.control import add_clock_routes, add_fault_routes, json_object

from .errors import JSON
from .faults import Fault
from .store import KINDS
from .webhooks import Webhook
from .wire import public

if TYPE_CHECKING:
    from .server import GoCardlessSimulator

FAULT_FIELDS = {f.name for f in fields(Fault)} - {"hits"}


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type=JSON)


def _sent(webhooks: list[Webhook]) -> list[dict[str, Any]]:
    return [
        {
            "id": w.id,
            "events": w.event_ids,
            "status": w.attempts[-1].status if w.attempts else None,
            "error": w.attempts[-1].error if w.attempts else None,
        }
        for w in webhooks
    ]


def create_inspection_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("inspection", __name__, url_prefix="/_sim")
    _state_routes(bp, sim)
    _webhook_routes(bp, sim)
    add_fault_routes(bp, sim.faults, lambda given: sim.faults.add(**given), FAULT_FIELDS, _json)
    return bp


def _state_routes(bp: Blueprint, sim: GoCardlessSimulator) -> None:
    clock = add_clock_routes(bp, sim.reset, sim.clock, _json)

    @bp.post("/clock/advance")
    def advance() -> Response:
        body = json_object()
        seconds = float(body.get("seconds", 0)) + float(body.get("days", 0)) * 86400
        if seconds < 0:
            return _json({"error": "the clock only moves forward"}, 400)
        sim.advance(seconds)
        return clock()

    @bp.get("/resources")
    def counts() -> Response:
        with sim.store.lock:
            return _json({kind: len(sim.store.tables[kind]) for kind in KINDS})

    @bp.get("/resources/<kind>")
    def resources(kind: str) -> Response:
        if kind not in KINDS:
            return _json({"error": f"unknown kind {kind}; one of {', '.join(KINDS)}"}, 404)
        with sim.store.lock:
            return _json({kind: [public(r) for r in sim.store.all(kind)]})

    @bp.patch("/config")
    def patch_config() -> Response:
        changes = json_object()
        unknown = [name for name in changes if not hasattr(sim.config, name)]
        if unknown:
            return _json({"error": f"unknown settings: {', '.join(unknown)}"}, 400)
        for name, value in changes.items():
            setattr(sim.config, name, value)
        return _json({"ok": True})


def _webhook_routes(bp: Blueprint, sim: GoCardlessSimulator) -> None:
    @bp.get("/webhooks")
    def webhooks() -> Response:
        return _json(
            {
                "webhooks": [w.summary() for w in sim.webhooks.sent()],
                "pending": sim.webhooks.pending(),
            }
        )

    @bp.post("/webhooks/deliver")
    def deliver() -> Response:
        body = json_object()
        order = body.get("order", "created")
        if order not in ("created", "reverse"):
            return _json({"error": "order is created or reverse"}, 400)
        sent = sim.webhooks.deliver(order=order, separate=bool(body.get("separate", False)))
        return _json({"deliveries": _sent(sent)})

    @bp.post("/webhooks/retry")
    def retry() -> Response:
        return _json({"deliveries": _sent(sim.webhooks.retry_due())})

    @bp.post("/webhooks/<webhook_id>/redeliver")
    def redeliver(webhook_id: str) -> Response:
        webhook = sim.webhooks.redeliver(webhook_id)
        if webhook is None:
            return _json({"error": f"no webhook {webhook_id}"}, 404)
        return _json({"deliveries": _sent([webhook])})
