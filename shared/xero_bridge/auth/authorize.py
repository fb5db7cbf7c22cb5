"""The authorizer's decision for one HTTP API REQUEST authorizer event (payload 2.0).

1. The route must be in the route policy (unknown route: deny).
2. The Authorization header must be exactly ``Bearer <jwt>``.
3. The token must be a valid Okta access token (okta_tokens).
4. Its scopes/groups must meet the route's rule.

Any failure, including a missing setting or an unexpected error, is a deny: the authorizer
fails closed. Deny reasons are logged at info with the route and, when the token was valid,
its sub and jti — never the token.

Caching: API Gateway caches the verdict per identity source. The template's identity
sources are the Authorization header *and* ``$context.routeKey``, so an allow for one route
is never reused for another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xero_bridge.auth import route_policy
from xero_bridge.auth.okta_tokens import OktaTokenValidator, TokenRejected, bearer_token
from xero_bridge.auth.principal import Principal
from xero_bridge.errors import ConfigurationError
from xero_bridge.observability import logger


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    principal: Principal | None = None
    log: dict[str, Any] = field(default_factory=dict)

    def response(self) -> dict[str, Any]:
        """The simple response API Gateway expects (`context` only when allowed)."""
        if self.allowed and self.principal is not None:
            return {"isAuthorized": True, "context": self.principal.to_context()}
        return {"isAuthorized": False, "context": {}}


def _authorization_header(event: dict[str, Any]) -> Any:
    headers = event.get("headers")
    if isinstance(headers, dict):
        for name, value in headers.items():
            if isinstance(name, str) and name.lower() == "authorization":
                return value
    # Without headers, the first identity source is the Authorization header's value.
    sources = event.get("identitySource")
    if isinstance(sources, list) and sources:
        return sources[0]
    return None


def decide(event: dict[str, Any], validator: OktaTokenValidator | None = None) -> Decision:
    """Allow or deny the request described by an authorizer event."""
    route_key = event.get("routeKey")
    where: dict[str, Any] = {"route": route_key if isinstance(route_key, str) else None}
    rule = route_policy.rule_for(route_key)
    if rule is None:
        return Decision(False, "unknown_route", log=where)
    try:
        token = bearer_token(_authorization_header(event))
        if validator is None:
            from xero_bridge.auth.okta_tokens import get_validator

            validator = get_validator()
        verified = validator.validate(token)
    except TokenRejected as exc:
        return Decision(False, exc.reason, log=where)
    except ConfigurationError as exc:
        logger.error("authorizer is misconfigured", extra={"error": exc.message})
        return Decision(False, "misconfigured", log=where)

    principal = Principal(
        sub=verified.sub,
        email=verified.email,
        groups=list(verified.groups),
        scopes=list(verified.scopes),
        token_id=verified.jti,
        client_id=verified.client_id,
    )
    who = {**where, "sub": verified.sub, "jti": verified.jti}
    if not rule.allows(principal.scopes, principal.groups):
        return Decision(False, "missing_scope", principal, {**who, "needs": rule.describe()})
    return Decision(True, "allowed", principal, who)


def authorize(event: dict[str, Any], validator: OktaTokenValidator | None = None) -> Decision:
    """`decide`, logged, with any unexpected error turned into a deny."""
    try:
        decision = decide(event, validator)
    except Exception:
        logger.exception("authorizer failed; denying")
        return Decision(False, "error")
    if decision.allowed:
        logger.info("request authorized", extra=decision.log)
    else:
        logger.info("request denied", extra={"reason": decision.reason, **decision.log})
    return decision
