"""The checks in front of the APIs: bearer token, tenant header, the token's scopes, rate
limits, idempotency."""

from __future__ import annotations

from flask import Response, g, request

from . import scopes
from .context import SimContext
from .grants import AccessClaims
from .problems import forbidden, rate_limited, unauthorized

WRITE_METHODS = {"POST", "PUT"}
API_PREFIX = "/api.xro/2.0"
# Xero's Detail when the token lacks the scope a call needs (the token itself is fine).
SCOPE_REFUSED = "AuthorizationUnsuccessful"


def bearer_claims(sim: SimContext) -> AccessClaims | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    return sim.grants.verify_access_token(header[7:].strip())


def authenticate(sim: SimContext) -> Response | None:
    claims = bearer_claims(sim)
    if claims is None:
        return unauthorized()
    g.claims = claims
    return None


def admit_tenant_call(sim: SimContext) -> Response | None:
    """Runs before every Accounting API handler; a response here answers instead of it."""
    if (refused := authenticate(sim)) is not None:
        return refused
    claims: AccessClaims = g.claims
    tenant_id = (request.headers.get("xero-tenant-id") or "").strip().lower()
    if not tenant_id or tenant_id not in sim.grants.tenants_for(claims):
        return forbidden()
    if sim.store.book(tenant_id) is None:
        return forbidden()
    g.tenant_id = tenant_id
    api_path = request.path.removeprefix(API_PREFIX)
    if not scopes.allows(claims.scope.split(), request.method, api_path):
        return unauthorized(SCOPE_REFUSED, www_authenticate=None)
    verdict = sim.limits.acquire(claims.client_id, tenant_id)
    g.limit_headers = verdict.headers or {}
    if not verdict.allowed:
        return rate_limited(verdict.problem or "", verdict.retry_after)
    g.holding_slot = True
    key = request.headers.get("Idempotency-Key")
    if key and request.method in WRITE_METHODS:
        stored = sim.idempotency.get(claims.client_id, tenant_id, key)
        if stored is not None:
            g.idempotent_replay = True
            return Response(stored.body, status=stored.status, content_type=stored.content_type)
    return None


def finish_tenant_call(sim: SimContext, response: Response) -> Response:
    for name, value in (getattr(g, "limit_headers", None) or {}).items():
        response.headers[name] = value
    key = request.headers.get("Idempotency-Key")
    claims: AccessClaims | None = getattr(g, "claims", None)
    tenant_id: str | None = getattr(g, "tenant_id", None)
    remember = (
        key
        and claims
        and tenant_id
        and request.method in WRITE_METHODS
        and getattr(g, "holding_slot", False)
        and not getattr(g, "idempotent_replay", False)
        and response.status_code < 500
    )
    if remember:
        sim.idempotency.put(
            claims.client_id,  # type: ignore[union-attr]
            tenant_id,  # type: ignore[arg-type]
            key,  # type: ignore[arg-type]
            response.status_code,
            response.get_data(),
            response.content_type or "application/json",
        )
    return response


def release_slot(sim: SimContext) -> None:
    if getattr(g, "holding_slot", False):
        g.holding_slot = False
        sim.limits.release(g.claims.client_id, g.tenant_id)
