"""The /_sim/ control surface: what tests and `make dev` users drive over HTTP."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from devstack.sim_kit.control import add_clock_routes, add_fault_routes
from devstack.sim_kit.control import json_object as body

from .faults import Fault
from .grants import GrantError
from .problems import json_response
from .wire import render

if TYPE_CHECKING:
    from .server import XeroSimulator

# What POST /_sim/faults accepts: Faults.add's arguments (not the counters, like `hits`).
FAULT_FIELDS = {f.name for f in fields(Fault) if f.init}
CHAOS_DEFAULTS = {"probability": 1.0, "seed": None, "hits": 0}


def _created(fault: Fault) -> dict[str, Any]:
    """A new fault as stored; the chaos fields only when they say something (a plain fault
    answers as it did before chaos existed)."""
    return {
        name: value
        for name, value in asdict(fault).items()
        if name not in CHAOS_DEFAULTS or value != CHAOS_DEFAULTS[name]
    }


def create_inspection_blueprint(sim: XeroSimulator) -> Blueprint:
    bp = Blueprint("inspection", __name__, url_prefix="/_sim")
    add_clock_routes(bp, sim.reset, sim.clock, json_response, advance=sim.clock.advance)
    # POST takes Faults.add's arguments (chaos: `probability`, `seed`) and answers the fault
    # as it was stored; GET lists the active faults (with their hits) and the answers
    # injected since the last clear.
    add_fault_routes(
        bp,
        sim.faults,
        lambda given: sim.faults.add(**given),
        FAULT_FIELDS,
        json_response,
        created=_created,
        listed=lambda: {"injected": sim.faults.injected()},
    )

    @bp.patch("/config")
    def patch_config() -> Response:
        for name, value in body().items():
            if not hasattr(sim.config, name):
                return json_response({"error": f"unknown setting {name}"}, 400)
            setattr(sim.config, name, value)
        return json_response({"ok": True})

    @bp.get("/calls")
    def calls() -> Response:
        tenant = request.args.get("tenant_id")
        log = [
            {"method": m, "path": p, "tenant_id": t, "status": s}
            for (m, p, t, s) in sim.call_log
            if tenant is None or t == tenant
        ]
        return json_response({"count": len(log), "calls": log})

    @bp.get("/created/<kind>")
    def created(kind: str) -> Response:
        return json_response({kind: render(sim.created(kind))})

    @bp.post("/touch")
    def touch() -> Response:
        data = body()
        sim.touch(
            data["tenant_id"], data.get("kind", "Invoices"), data["id"], data.get("changes") or {}
        )
        return json_response({"ok": True})

    @bp.post("/webhooks/flush")
    def flush() -> Response:
        results = [
            {"status": d.status, "events": len(d.payload["events"]), "error": d.error}
            for d in sim.webhooks.flush()
        ]
        return json_response({"deliveries": results})

    @bp.post("/webhooks/intent-to-receive")
    def intent_to_receive() -> Response:
        return json_response({"ok": sim.webhooks.intent_to_receive()})

    @bp.post("/authorize")
    def authorize() -> Response:
        data = body()
        try:
            code = sim.issue_authorization_code(
                data.get("tenant_ids") or [],
                data["redirect_uri"],
                code_challenge=data.get("code_challenge"),
                client_id=data.get("client_id"),
                scope=data.get("scope"),
            )
        except GrantError as refused:  # what the consent page would refuse
            return json_response({"error": refused.code, "error_description": str(refused)}, 400)
        return json_response({"code": code})

    return bp
