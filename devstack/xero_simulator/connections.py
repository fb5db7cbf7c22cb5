"""GET /connections (with ?authEventId=) and DELETE /connections/{id}."""

from __future__ import annotations

from flask import Blueprint, Response, g, request

from .context import SimContext
from .gate import authenticate
from .grants import AccessClaims
from .problems import json_response, not_found
from .wire import iso_utc


def create_connections_blueprint(sim: SimContext) -> Blueprint:
    bp = Blueprint("connections", __name__)
    bp.before_request(lambda: authenticate(sim))

    # xero-python asks for /Connections; Xero's docs say /connections. Both work there.
    @bp.get("/connections")
    @bp.get("/Connections")
    def list_connections() -> Response:
        claims: AccessClaims = g.claims
        auth_event = (request.args.get("authEventId") or "").lower()
        with sim.store.lock:
            names = {t: b.name for t, b in sim.store.books.items()}
        rows = [
            {
                "id": c.id,
                "authEventId": c.auth_event_id,
                "tenantId": c.tenant_id,
                "tenantType": "ORGANISATION",
                "tenantName": names.get(c.tenant_id, ""),
                "createdDateUtc": iso_utc(c.created),
                "updatedDateUtc": iso_utc(c.updated),
            }
            for c in sorted(sim.grants.connections_for(claims), key=lambda c: c.created)
            if not auth_event or c.auth_event_id == auth_event
        ]
        return json_response(rows)

    @bp.delete("/connections/<connection_id>")
    @bp.delete("/Connections/<connection_id>")
    def delete_connection(connection_id: str) -> Response:
        if not sim.grants.delete_connection(g.claims, connection_id.lower()):
            return not_found()
        return Response(status=204)

    return bp
