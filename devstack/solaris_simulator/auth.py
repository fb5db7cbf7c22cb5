"""The auth host's ``POST /oauth2/token`` and the API's bearer-token check.

The token endpoint is an OAuth 2.0 server: client_credentials with HTTP Basic client
authentication only, scope ``partners``, one-hour tokens, RFC 6749 error bodies. The API
answers a missing or dead token with Solaris's own 401 body.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable

from flask import Blueprint, Response, request

from devstack.sim_kit.clock import SimClock

from .config import SolarisConfig
from .errors import invalid_token, token_required
from .wire import json_response


class TokenStore:
    def __init__(self, clock: SimClock, config: Callable[[], SolarisConfig]) -> None:
        self.clock = clock
        self.config = config
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}  # access token -> expiry

    def issue(self) -> tuple[str, int]:
        ttl = self.config().token_ttl
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = self.clock.now() + ttl
        return token, ttl

    def check(self, authorization: str | None) -> None:
        """Raises Solaris's 401 unless `authorization` carries a live bearer token."""
        if not authorization:
            raise token_required()
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise invalid_token()
        with self._lock:
            expires_at = self._tokens.get(token.strip())
        if expires_at is None or self.clock.now() >= expires_at:
            raise invalid_token()

    def reset(self) -> None:
        with self._lock:
            self._tokens.clear()


def _oauth_error(status: int, error: str, description: str) -> Response:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="oauth2"'
    body = {"error": error, "error_description": description}
    return json_response(body, status, headers)


def create_auth_blueprint(tokens: TokenStore, config: Callable[[], SolarisConfig]) -> Blueprint:
    bp = Blueprint("solaris_auth", __name__)

    @bp.post("/oauth2/token")
    def token() -> Response:
        settings = config()
        basic = request.authorization
        if basic is None or basic.type != "basic":
            return _oauth_error(401, "invalid_client", "Client authentication failed")
        right_id = hmac.compare_digest((basic.username or "").encode(), settings.client_id.encode())
        right_secret = hmac.compare_digest(
            (basic.password or "").encode(), settings.client_secret.encode()
        )
        if not (right_id and right_secret):
            return _oauth_error(401, "invalid_client", "Client authentication failed")
        if request.form.get("grant_type") != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "The grant type must be client_credentials"
            )
        if request.form.get("scope", "partners") != "partners":
            return _oauth_error(400, "invalid_scope", "The requested scope is invalid")
        access_token, ttl = tokens.issue()
        body = {
            "access_token": access_token,
            "expires_in": ttl,
            "scope": "partners",
            "token_type": "bearer",
        }
        return json_response(body, 200, {"Cache-Control": "no-store"})

    return bp
