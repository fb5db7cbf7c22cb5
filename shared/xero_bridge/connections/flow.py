"""Connecting Xero: the authorization code flow with a single-use state and PKCE (S256).

`start_connect` makes the state (random, bound to the Okta user, short-lived, stored hashed
with the PKCE verifier and where to go back) and Xero's authorize URL for XERO_SCOPES or
the caller's own `scopes` (known scopes only, always with openid, profile, email and
offline_access). A new consent replaces the tenants' token set and with it the scopes they
were granted (and those Xero refused). `complete_connect`
consumes the state exactly once, exchanges the code with the verifier, lists the tenants
*this* authorisation reached (the access token's `authentication_event_id`), stores one
token set for the authorisation and one connection per tenant, and grants the user those
tenants. Nothing here knows about HTTP events.
"""

from __future__ import annotations

import secrets
import time
import uuid
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from xero_bridge.errors import BadRequestError, ConflictError, ForbiddenError, XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import grants, token_sets
from xero_bridge.persistence import oauth_states as state_store
from xero_bridge.persistence.connections import Connection
from xero_bridge.persistence.oauth_states import OAuthState
from xero_bridge.settings import get_settings
from xero_bridge.xero.identity import (
    InvalidGrantError,
    TokenResponse,
    XeroConnection,
    XeroIdentity,
    app_identity,
    pkce_pair,
)
from xero_bridge.xero.scopes import IDENTITY_SCOPES, known_scopes
from xero_bridge.xero.tokens import token_manager

OFFLINE_ACCESS = "offline_access"


class ConnectStart(BaseModel):
    model_config = ConfigDict(frozen=True)

    authorize_url: str
    expires_at: int


class ConnectedTenant(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str
    tenant_name: str
    tenant_type: str


class ConnectResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_sub: str
    return_to: str | None
    tenants: list[ConnectedTenant]


def _with_identity_scopes(scopes: list[str]) -> list[str]:
    """`scopes` in order, without duplicates, with openid/profile/email/offline_access."""
    ordered = list(dict.fromkeys(scopes))
    return ordered + [scope for scope in IDENTITY_SCOPES if scope not in ordered]


def configured_scopes() -> list[str]:
    """XERO_SCOPES, in order, always with the identity scopes (offline_access among them)."""
    return _with_identity_scopes(get_settings().xero_scopes.split())


def requested_scopes(scopes: list[str] | None) -> list[str]:
    """What to ask Xero's consent for: XERO_SCOPES, or the caller's own set (least
    privilege, or a re-consent that adds a scope) once every name in it is a known scope."""
    if scopes is None:
        return configured_scopes()
    names = [scope.strip() for scope in scopes if scope.strip()]
    if not names:
        raise BadRequestError("scopes must name at least one scope", [{"field": "scopes"}])
    known = known_scopes()
    unknown = [name for name in dict.fromkeys(names) if name not in known]
    if unknown:
        raise BadRequestError(
            "unknown Xero scopes: " + ", ".join(unknown),
            [{"field": "scopes", "problem": "unknown scope", "scope": name} for name in unknown],
        )
    return _with_identity_scopes(names)


def allowed_origins() -> set[str]:
    return {
        origin.strip().rstrip("/").lower()
        for origin in get_settings().allowed_return_origins.split(",")
        if origin.strip()
    }


def check_return_to(return_to: str | None) -> str | None:
    """`return_to` if it is an http(s) URL on one of the configured frontend origins."""
    if return_to is None or return_to == "":
        return None
    try:
        parts = urlsplit(return_to)
        port = parts.port  # raises on a malformed port
    except ValueError:
        parts, port = None, None
    problem = BadRequestError(
        "return_to must be a URL on one of the configured frontend origins",
        [{"field": "return_to", "problem": "origin not allowed"}],
    )
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise problem
    if parts.username is not None or parts.password is not None or "\\" in return_to:
        raise problem
    origin = f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port else "")
    if origin.lower() not in allowed_origins():
        raise problem
    return return_to


def start_connect(
    user_sub: str,
    return_to: str | None,
    redirect_uri: str,
    identity: XeroIdentity | None = None,
    scopes: list[str] | None = None,
) -> ConnectStart:
    """A new state for `user_sub` and the Xero authorize URL that carries it; `scopes`: the
    set to ask for instead of XERO_SCOPES (see `requested_scopes`)."""
    if not user_sub:
        raise ForbiddenError("sign-in required")
    return_to = check_return_to(return_to)
    asked = requested_scopes(scopes)
    settings = get_settings()
    identity = identity or app_identity()
    state = secrets.token_urlsafe(32)
    verifier, challenge = pkce_pair()
    now = int(time.time())
    expires_at = now + settings.oauth_state_ttl_seconds
    state_store.put_state(
        state,
        OAuthState(
            user_sub=user_sub,
            code_verifier=SecretStr(verifier),
            redirect_uri=redirect_uri,
            return_to=return_to,
            created_at=now,
            expires_at=expires_at,
        ),
    )
    url = identity.authorization_url(
        redirect_uri=redirect_uri,
        scopes=asked,
        state=state,
        code_challenge=challenge,
    )
    logger.info("xero connect started", extra={"sub": user_sub, "expires_at": expires_at})
    return ConnectStart(authorize_url=url, expires_at=expires_at)


def _consume(state: str | None) -> OAuthState:
    if not state:
        raise BadRequestError("the callback has no state")
    result = state_store.consume(state)
    if result.outcome == "reused":
        raise ConflictError("this connect link has already been used: start again")
    if result.outcome == "expired":
        raise BadRequestError("this connect link has expired: start again")
    if result.outcome != "ok" or result.state is None:
        raise BadRequestError("this connect link is not valid: start again")
    return result.state


def complete_connect(
    *,
    state: str | None,
    code: str | None,
    error: str | None = None,
    caller_sub: str | None = None,
    identity: XeroIdentity | None = None,
) -> ConnectResult:
    """Finish a connect from Xero's redirect. The state is used up whatever happens next.

    `caller_sub`: the Okta user calling, when the callback carries a token (a frontend that
    completes the flow itself); it must be the user who started the flow.
    """
    record = _consume(state)
    code = _authorization_code(record, code, error, caller_sub)
    identity = identity or app_identity()
    try:
        tokens = identity.exchange_code(
            code=code,
            code_verifier=record.code_verifier.get_secret_value(),
            redirect_uri=record.redirect_uri,
        )
    except InvalidGrantError:
        raise BadRequestError("Xero did not accept the authorization: start again") from None
    access = tokens.access_token.get_secret_value()
    reached = identity.connections(access, tokens.authentication_event_id)
    if not reached:
        logger.info("xero connect reached no tenant", extra={"sub": record.user_sub})
        if tokens.refresh_token is not None:
            _revoke_quietly(identity, tokens.refresh_token.get_secret_value())
        return ConnectResult(user_sub=record.user_sub, return_to=record.return_to, tenants=[])
    if tokens.refresh_token is None:
        raise BadRequestError("Xero gave no refresh token: the offline_access scope is missing")
    connected = _connect_tenants(record, tokens, tokens.refresh_token, reached)
    return ConnectResult(user_sub=record.user_sub, return_to=record.return_to, tenants=connected)


def _authorization_code(
    record: OAuthState, code: str | None, error: str | None, caller_sub: str | None
) -> str:
    """The callback's code, once it is the starting user's and Xero authorised."""
    if caller_sub is not None and caller_sub != record.user_sub:
        logger.warning("xero callback with another user's state", extra={"sub": caller_sub})
        raise ForbiddenError("this connect link belongs to someone else")
    if error:
        safe = error if error.replace("_", "").isalnum() and len(error) <= 64 else "error"
        raise BadRequestError("Xero did not authorise the connection", [{"xero_error": safe}])
    if not code:
        raise BadRequestError("the callback has no authorization code")
    return code


def _connect_tenants(
    record: OAuthState,
    tokens: TokenResponse,
    refresh_token: SecretStr,
    reached: list[XeroConnection],
) -> list[ConnectedTenant]:
    """Store one token set for the authorisation and a connection and grant per tenant."""
    auth_event_id = tokens.authentication_event_id
    token_set_id = uuid.uuid4().hex
    token_sets.save_token_set(
        token_manager.new_token_set(
            token_set_id,
            "authorization_code",
            tokens.access_token,
            refresh_token,
            tokens.expires_at,
            tokens.scopes,
            record.user_sub,
        ),
        expected_version=None,
    )
    replaced_sets: set[str] = set()
    connected: list[ConnectedTenant] = []
    for item in reached:
        connection = Connection(
            tenant_id=item.tenant_id,
            tenant_name=item.tenant_name or "",
            tenant_type=item.tenant_type,
            connection_id=item.id,
            token_set_id=token_set_id,
            connected_by=record.user_sub,
            auth_event_id=item.auth_event_id or auth_event_id,
            scopes=tokens.scopes,
        )
        previous = connection_store.put_connection(connection)
        if previous is not None and previous.token_set_id != token_set_id:
            replaced_sets.add(previous.token_set_id)
        grants.grant(record.user_sub, item.tenant_id, granted_by=record.user_sub, via="connect")
        connected.append(
            ConnectedTenant(
                tenant_id=item.tenant_id,
                tenant_name=connection.tenant_name,
                tenant_type=connection.tenant_type,
            )
        )
    for old_set in replaced_sets:
        _drop_if_orphaned(old_set)
    logger.info(
        "xero connected",
        extra={
            "sub": record.user_sub,
            "token_set_id": token_set_id,
            "tenant_ids": [t.tenant_id for t in connected],
        },
    )
    return connected


def _drop_if_orphaned(token_set_id: str) -> None:
    """A reconnect moved tenants to a new set: forget the old one once nothing uses it."""
    if connection_store.connections_for_token_set(token_set_id):
        return
    token_sets.delete_token_set(token_set_id)
    token_manager.forget(token_set_id)
    logger.info("replaced xero token set removed", extra={"token_set_id": token_set_id})


def _revoke_quietly(identity: XeroIdentity, refresh_token: str) -> None:
    try:
        identity.revoke(refresh_token)
    except XeroBridgeError as exc:
        logger.warning("revoking an unused authorisation failed", extra={"error_code": exc.code})
