"""Xero's identity service over httpx: discovery, authorize URLs, tokens, revocation, connections.

- Endpoints come from ``XERO_IDENTITY_URL/.well-known/openid-configuration`` (cached per
  process for an hour), as Xero's own libraries find them; connections are at
  ``XERO_API_URL/connections``.
- Every token received is registered with the log redaction before anything else happens
  to it, and held as SecretStr.
- Xero's failures become the product's errors: ``invalid_grant`` → InvalidGrantError (the
  refresh token is dead: reconnect), other 4xx → UpstreamError (502), 5xx, timeouts and
  connection failures → ServiceUnavailableError (503), 429 → RateLimitedError. Error bodies
  from Xero are never copied into messages (they can echo what was sent).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from xero_bridge.errors import (
    NotFoundError,
    RateLimitedError,
    ServiceUnavailableError,
    UpstreamError,
)
from xero_bridge.observability import logger
from xero_bridge.redaction import register_secret
from xero_bridge.settings import get_settings

DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_MAX_AGE = 3600.0


class InvalidGrantError(UpstreamError):
    """Xero refused the grant (a dead, revoked or rotated-away refresh token, a used code)."""

    code = "invalid_grant"


class TokenResponse(BaseModel):
    """A token endpoint's answer; `expires_at` is computed from `expires_in` on arrival."""

    model_config = ConfigDict(frozen=True)

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    id_token: SecretStr | None = None
    expires_in: int = 1800
    expires_at: int
    scopes: list[str] = Field(default_factory=list)
    token_type: str = "Bearer"

    @property
    def authentication_event_id(self) -> str | None:
        """The `authentication_event_id` claim of Xero's access token (read, not verified)."""
        return unverified_claim(self.access_token.get_secret_value(), "authentication_event_id")


class XeroConnection(BaseModel):
    """One item of GET /connections."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    id: str
    tenant_id: str = Field(alias="tenantId")
    tenant_type: str = Field("ORGANISATION", alias="tenantType")
    tenant_name: str | None = Field(None, alias="tenantName")
    auth_event_id: str | None = Field(None, alias="authEventId")


class Endpoints(BaseModel):
    model_config = ConfigDict(frozen=True)

    authorization_endpoint: str
    token_endpoint: str
    revocation_endpoint: str


def unverified_claim(token: str, claim: str) -> str | None:
    """One claim of a JWT, decoded WITHOUT verifying it.

    Only for reading an identifier Xero put in a token Xero just gave us over TLS (the
    authentication event id); never a basis for trusting anyone.
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    value = claims.get(claim)
    return str(value) if value else None


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge) as RFC 7636 describes."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


_discovery_lock = threading.Lock()
_discovery_cache: dict[str, tuple[float, Endpoints]] = {}
_http_client: httpx.Client | None = None


def reset_identity_caches() -> None:
    """Forget discovered endpoints and the HTTP client (tests switch simulators)."""
    global _http_client
    with _discovery_lock:
        _discovery_cache.clear()
        if _http_client is not None:
            _http_client.close()
        _http_client = None


def http_client() -> httpx.Client:
    """One pooled httpx client per process, with the configured timeouts."""
    global _http_client
    with _discovery_lock:
        if _http_client is None:
            settings = get_settings()
            timeout = httpx.Timeout(
                settings.xero_read_timeout_seconds, connect=settings.xero_connect_timeout_seconds
            )
            _http_client = httpx.Client(timeout=timeout, follow_redirects=False)
        return _http_client


def _identity_url() -> str:
    return str(get_settings().xero_identity_url).rstrip("/")


def _api_url() -> str:
    return str(get_settings().xero_api_url).rstrip("/")


class XeroIdentity:
    """Xero's identity endpoints for one app (client id and secret)."""

    def __init__(
        self, client_id: str, client_secret: str, client: httpx.Client | None = None
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self._client = client
        register_secret(client_secret)

    @property
    def http(self) -> httpx.Client:
        return self._client or http_client()

    # ------------------------------------------------------------------ discovery
    def endpoints(self) -> Endpoints:
        base = _identity_url()
        now = time.monotonic()
        cached = _discovery_cache.get(base)
        if cached and now - cached[0] < DISCOVERY_MAX_AGE:
            return cached[1]
        response = self._send("GET", base + DISCOVERY_PATH, what="discovery")
        try:
            endpoints = Endpoints.model_validate(response.json())
        except ValueError:
            raise UpstreamError("Xero's identity discovery document is not usable") from None
        with _discovery_lock:
            _discovery_cache[base] = (now, endpoints)
        return endpoints

    # ------------------------------------------------------------------ authorization
    def authorization_url(
        self, *, redirect_uri: str, scopes: list[str], state: str, code_challenge: str
    ) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": " ".join(scopes),
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self.endpoints().authorization_endpoint}?{query}"

    def exchange_code(self, *, code: str, code_verifier: str, redirect_uri: str) -> TokenResponse:
        register_secret(code, code_verifier)
        return self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            },
            what="code exchange",
        )

    def refresh(self, refresh_token: str) -> TokenResponse:
        return self._token(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}, what="refresh"
        )

    def client_credentials(self, scopes: list[str] | None = None) -> TokenResponse:
        form = {"grant_type": "client_credentials"}
        if scopes:
            form["scope"] = " ".join(scopes)
        return self._token(form, what="client credentials")

    def revoke(self, refresh_token: str) -> None:
        """Revoke a refresh token (and with it every connection it authorised)."""
        self._send(
            "POST",
            self.endpoints().revocation_endpoint,
            what="revocation",
            data={"token": refresh_token},
            auth=(self.client_id, self.client_secret),
        )

    # ------------------------------------------------------------------ connections
    def connections(
        self, access_token: str, auth_event_id: str | None = None
    ) -> list[XeroConnection]:
        params = {"authEventId": auth_event_id} if auth_event_id else None
        response = self._send(
            "GET",
            _api_url() + "/connections",
            what="connections",
            params=params,
            headers={"Authorization": f"Bearer {access_token}"},
        )
        body = response.json()
        if not isinstance(body, list):
            raise UpstreamError("Xero's connections answer is not a list")
        found = [XeroConnection.model_validate(item) for item in body]
        if auth_event_id:  # filter here too: not every server honours the parameter
            found = [c for c in found if c.auth_event_id in (None, auth_event_id)]
        return found

    def delete_connection(self, access_token: str, connection_id: str) -> bool:
        """DELETE /connections/{id}; False when Xero no longer has it."""
        try:
            self._send(
                "DELETE",
                f"{_api_url()}/connections/{connection_id}",
                what="disconnect",
                headers={"Authorization": f"Bearer {access_token}"},
            )
        except NotFoundError:
            return False
        return True

    # ------------------------------------------------------------------ plumbing
    def _token(self, form: dict[str, str], what: str) -> TokenResponse:
        sent_at = int(time.time())
        response = self._send(
            "POST",
            self.endpoints().token_endpoint,
            what=what,
            data=form,
            auth=(self.client_id, self.client_secret),
        )
        try:
            body = response.json()
        except ValueError:
            raise UpstreamError(f"Xero's {what} answer is not JSON") from None
        if not isinstance(body, dict) or not body.get("access_token"):
            raise UpstreamError(f"Xero's {what} answer has no access token")
        register_secret(body.get("access_token"), body.get("refresh_token"), body.get("id_token"))
        expires_in = int(body.get("expires_in") or 1800)
        scope = body.get("scope") or ""
        refresh = body.get("refresh_token")
        return TokenResponse(
            access_token=SecretStr(str(body["access_token"])),
            refresh_token=SecretStr(str(refresh)) if refresh else None,
            id_token=SecretStr(str(body["id_token"])) if body.get("id_token") else None,
            expires_in=expires_in,
            expires_at=sent_at + expires_in,
            scopes=scope.split() if isinstance(scope, str) else [str(s) for s in scope],
            token_type=str(body.get("token_type") or "Bearer"),
        )

    def _send(self, method: str, url: str, *, what: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.TimeoutException:
            logger.warning("xero identity timed out", extra={"call": what})
            raise ServiceUnavailableError(f"Xero did not answer the {what} in time") from None
        except httpx.HTTPError as exc:
            logger.warning(
                "xero identity unreachable", extra={"call": what, "error": type(exc).__name__}
            )
            raise ServiceUnavailableError(f"Xero could not be reached for the {what}") from None
        status = response.status_code
        if status < 300:
            return response
        error = _oauth_error(response)
        logger.info("xero identity refused", extra={"call": what, "status": status, "error": error})
        if status == 400 and error == "invalid_grant":
            raise InvalidGrantError(f"Xero refused the {what}: the grant is no longer valid")
        if status == 404:
            raise NotFoundError(f"Xero has no such resource ({what})")
        if status == 429:
            retry_after = response.headers.get("Retry-After", "60")
            try:
                seconds = float(retry_after)
            except ValueError:
                seconds = 60.0
            raise RateLimitedError(f"Xero's limit was reached ({what})", retry_after=seconds)
        if status >= 500:
            raise ServiceUnavailableError(f"Xero failed the {what} (HTTP {status})")
        raise UpstreamError(f"Xero refused the {what} (HTTP {status}, {error or 'no reason'})")


def _oauth_error(response: httpx.Response) -> str | None:
    """The OAuth `error` code of a failure (a short identifier, safe to log), if any."""
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        code = body["error"]
        return code if code.replace("_", "").isalnum() and len(code) <= 64 else "unrecognised"
    return None


def app_identity() -> XeroIdentity:
    """The identity client for the product's Xero app (credentials from the app secret)."""
    from xero_bridge.secrets import app_secret

    return XeroIdentity(app_secret("xero_client_id"), app_secret("xero_client_secret"))


def custom_identity() -> XeroIdentity:
    """The identity client for custom connections (client credentials).

    A Xero custom connection is its own app: its credentials are `xero_custom_client_id` and
    `xero_custom_client_secret` in the app secret, or the main app's when those are absent.
    """
    from xero_bridge.secrets import app_secrets

    document = app_secrets()
    client_id = document.get("xero_custom_client_id") or document.get("xero_client_id")
    client_secret = document.get("xero_custom_client_secret") or document.get("xero_client_secret")
    if not client_id or not client_secret:
        from xero_bridge.errors import ConfigurationError

        raise ConfigurationError("the app secret has no Xero client credentials")
    return XeroIdentity(str(client_id), str(client_secret))
