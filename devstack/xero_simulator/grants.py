"""OAuth state: authorization codes, auth events, rotating refresh tokens, connections, JWTs."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack.sim_kit.locked_state import LockedState

from . import scopes
from .clock import SimClock
from .config import DEMO_USER_EMAIL, DEMO_USER_ID, SimulatorConfig
from .state import new_id


class GrantError(Exception):
    """An OAuth error: ``code`` is the RFC 6749 error name."""

    def __init__(self, code: str, description: str = "", status: int = 400) -> None:
        super().__init__(description or code)
        self.code = code
        self.description = description
        self.status = status


@dataclass
class AuthCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    tenant_ids: list[str]
    user_id: str
    expires_at: float
    code_challenge: str | None
    nonce: str | None = None
    used: bool = False


@dataclass
class AuthEvent:
    """One consent: covers one or more tenants; its refresh tokens form one family."""

    id: str
    client_id: str
    user_id: str | None
    scope: str
    tenant_ids: list[str]
    revoked: bool = False


@dataclass
class RefreshToken:
    token: str
    auth_event_id: str
    expires_at: float
    first_used_at: float | None = None


@dataclass
class Connection:
    id: str
    auth_event_id: str
    client_id: str
    user_id: str | None
    tenant_id: str
    created: datetime
    updated: datetime


@dataclass
class AccessClaims:
    client_id: str
    user_id: str | None
    auth_event_id: str
    scope: str


@dataclass
class Grants(LockedState):
    clock: SimClock
    config_getter: Callable[[], SimulatorConfig]
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    issuer: str = "http://127.0.0.1"

    def __post_init__(self) -> None:
        super().__init__()

    def _empty(self) -> None:
        self.codes: dict[str, AuthCode] = {}
        self.events: dict[str, AuthEvent] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.connections: dict[str, Connection] = {}

    @property
    def config(self) -> SimulatorConfig:
        return self.config_getter()

    # --- scopes --------------------------------------------------------------------------

    def consent_problem(self, client_id: str, scope: str) -> str | None:
        """Why Xero would refuse to let `client_id` ask for `scope` (invalid_scope), or None:
        an unknown scope, or a broad one for an app created on or after 2026-03-02."""
        return scopes.consent_problem(scope.split(), client_id in self.config.legacy_clients)

    def _custom_connection_scope(self, client_id: str, scope: str) -> str:
        """The scopes of a client-credentials token: those asked for, all of them within
        what the custom connection was authorised for (all of those when none is asked);
        invalid_scope otherwise."""
        authorised = self.config.custom_connection_scopes.get(client_id, "").split()
        asked = scope.split() or authorised
        refused = self.consent_problem(client_id, " ".join(asked)) is not None
        within = set(authorised) | {f"{name}.read" for name in authorised}  # or less
        if refused or not set(asked) <= within:
            raise GrantError("invalid_scope")  # Xero's body: {"error": "invalid_scope"}
        return " ".join(asked)

    # --- authorization codes -------------------------------------------------------------

    def issue_code(
        self,
        client_id: str,
        redirect_uri: str,
        scope: str,
        tenant_ids: list[str],
        code_challenge: str | None = None,
        user_id: str = DEMO_USER_ID,
        nonce: str | None = None,
    ) -> str:
        problem = self.consent_problem(client_id, scope)
        if problem is not None:
            raise GrantError("invalid_scope", problem)
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = AuthCode(
                code,
                client_id,
                redirect_uri,
                scope,
                list(tenant_ids),
                user_id,
                self.clock.now() + self.config.auth_code_ttl,
                code_challenge,
                nonce,
            )
        return code

    def exchange_code(
        self, client_id: str, code: str, redirect_uri: str, verifier: str | None
    ) -> dict[str, Any]:
        with self.lock:
            entry = self.codes.get(code)
            if entry is None or entry.used or entry.expires_at <= self.clock.now():
                raise GrantError("invalid_grant")
            entry.used = True  # single use, even when the rest of the exchange fails
            if entry.client_id != client_id:
                raise GrantError("invalid_grant")
            if entry.redirect_uri != redirect_uri:
                raise GrantError("invalid_grant", "redirect_uri does not match")
            if entry.code_challenge is not None and (
                not verifier or pkce_challenge(verifier) != entry.code_challenge
            ):
                raise GrantError("invalid_grant", "code_verifier does not match")
            event = AuthEvent(new_id(), client_id, entry.user_id, entry.scope, entry.tenant_ids)
            self.events[event.id] = event
            for tenant_id in entry.tenant_ids:
                self._connect(event, tenant_id)
            return self._token_set(event, with_refresh=True, nonce=entry.nonce)

    # --- refresh tokens ------------------------------------------------------------------

    def refresh(self, client_id: str, token: str) -> dict[str, Any]:
        now = self.clock.now()
        with self.lock:
            entry = self.refresh_tokens.get(token)
            event = self.events.get(entry.auth_event_id) if entry else None
            if entry is None or event is None or event.revoked or event.client_id != client_id:
                raise GrantError("invalid_grant")
            if entry.expires_at <= now:
                raise GrantError("invalid_grant")
            if entry.first_used_at is None:
                entry.first_used_at = now
            elif now - entry.first_used_at > self.config.refresh_grace_seconds:
                # Rotation: the old token only survives its grace period after first use.
                raise GrantError("invalid_grant")
            return self._token_set(event, with_refresh=True)

    def revoke(self, client_id: str, token: str) -> None:
        """Revokes the refresh token's auth event and removes its connections."""
        with self.lock:
            entry = self.refresh_tokens.get(token)
            event = self.events.get(entry.auth_event_id) if entry else None
            if event is None or event.client_id != client_id:
                return  # RFC 7009: unknown tokens are not an error
            event.revoked = True
            for connection_id in [
                c.id for c in self.connections.values() if c.auth_event_id == event.id
            ]:
                del self.connections[connection_id]

    # --- client credentials --------------------------------------------------------------

    def client_credentials(self, client_id: str, scope: str) -> dict[str, Any]:
        tenant_id = self.config.custom_connections.get(client_id)
        if tenant_id is None:
            raise GrantError("unauthorized_client", "not a custom connection")
        granted = self._custom_connection_scope(client_id, scope)
        with self.lock:
            event = next(
                (e for e in self.events.values() if e.client_id == client_id and e.user_id is None),
                None,
            )
            if event is None:
                event = AuthEvent(new_id(), client_id, None, granted, [tenant_id])
                self.events[event.id] = event
                self._connect(event, tenant_id)
            event.scope = granted
            return self._token_set(event, with_refresh=False)

    # --- connections ---------------------------------------------------------------------

    def _connect(self, event: AuthEvent, tenant_id: str) -> None:
        now = self.clock.now_dt()
        for connection in self.connections.values():
            same_app = connection.client_id == event.client_id
            if (
                same_app
                and connection.user_id == event.user_id
                and connection.tenant_id == tenant_id
            ):
                connection.auth_event_id = event.id
                connection.updated = now
                return
        connection = Connection(
            new_id(), event.id, event.client_id, event.user_id, tenant_id, now, now
        )
        self.connections[connection.id] = connection

    def connections_for(self, claims: AccessClaims) -> list[Connection]:
        with self.lock:
            return [
                c
                for c in self.connections.values()
                if c.client_id == claims.client_id and c.user_id == claims.user_id
            ]

    def tenants_for(self, claims: AccessClaims) -> set[str]:
        return {c.tenant_id for c in self.connections_for(claims)}

    def delete_connection(self, claims: AccessClaims, connection_id: str) -> bool:
        with self.lock:
            connection = self.connections.get(connection_id)
            if connection is None or connection not in self.connections_for(claims):
                return False
            del self.connections[connection_id]
            return True

    # --- tokens --------------------------------------------------------------------------

    def _token_set(
        self, event: AuthEvent, *, with_refresh: bool, nonce: str | None = None
    ) -> dict[str, Any]:
        now = int(self.clock.now())
        ttl = self.config.access_token_ttl
        claims: dict[str, Any] = {
            "nbf": now,
            "exp": now + ttl,
            "iat": now,
            "iss": self.issuer,
            "aud": f"{self.issuer}/resources",
            "client_id": event.client_id,
            "auth_time": now,
            "jti": secrets.token_hex(16),
            "authentication_event_id": event.id,
            "scope": event.scope.split(),
        }
        if event.user_id:
            claims.update(sub=event.user_id, xero_userid=event.user_id, global_session_id=event.id)
        body: dict[str, Any] = {
            "access_token": self._sign(claims),
            "expires_in": ttl,
            "token_type": "Bearer",
            "scope": event.scope,
        }
        if with_refresh:
            token = secrets.token_urlsafe(32)
            lifetime = self.config.refresh_token_ttl_days * 86400
            self.refresh_tokens[token] = RefreshToken(token, event.id, now + lifetime)
            body["refresh_token"] = token
        if event.user_id and "openid" in event.scope.split():
            id_claims = {
                "iss": self.issuer,
                "aud": event.client_id,
                "sub": event.user_id,
                "iat": now,
                "exp": now + 300,
                "auth_time": now,
                "xero_userid": event.user_id,
                "email": DEMO_USER_EMAIL,
                "preferred_username": DEMO_USER_EMAIL,
            }
            if nonce:
                id_claims["nonce"] = nonce
            body["id_token"] = self._sign(id_claims)
        return body

    def _sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def verify_access_token(self, token: str) -> AccessClaims | None:
        """None when the token is malformed, not ours, expired (sim clock) or revoked."""
        try:
            claims = jwt.decode(
                token,
                self.key.public_key(),
                algorithms=["RS256"],
                # Times are checked below against the simulator clock, which tests move ahead.
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                },
            )
        except jwt.PyJWTError:
            return None
        now = self.clock.now()
        if claims.get("exp", 0) <= now or claims.get("nbf", 0) > now + 5:
            return None
        with self.lock:
            event = self.events.get(claims.get("authentication_event_id", ""))
            if event is None or event.revoked:
                return None
        return AccessClaims(
            client_id=claims["client_id"],
            user_id=claims.get("xero_userid"),
            auth_event_id=event.id,
            scope=" ".join(claims.get("scope", [])),
        )

    def jwks(self) -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
