"""Validation of Okta access tokens (JWTs from a custom authorization server) with PyJWT.

What a token must be to pass:

- a compact JWS whose header says ``alg: RS256`` (nothing else: no ``none``, no HS256 made
  with the public key) and names a ``kid``;
- signed by the key with that kid in the issuer's JWKS. The JWKS URI comes from the issuer's
  discovery document; the keys are cached for the life of the process (across Lambda
  invocations), refreshed after ``max_age``, and refetched when an unknown kid appears — but
  never more than once per ``min_refetch_interval`` (60 s), so random kids cannot make us
  hammer Okta. When no keys can be had, every token is refused (fail closed);
- ``iss`` equal to the configured issuer, ``aud`` equal to the configured audience,
  ``exp``/``nbf``/``iat`` honoured with a small leeway, and ``exp``, ``iat``, ``sub`` present.

No token value is ever logged; at most its ``jti`` and ``sub``.

The JWKS is fetched with urllib: PyJWT already imports it, and httpx would add ~100 ms to the
authorizer's cold start.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import jwt

from xero_bridge.errors import ConfigurationError, UnauthorizedError
from xero_bridge.observability import logger

ALGORITHM = "RS256"
DEFAULT_LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ("exp", "iat", "sub", "iss", "aud")
MAX_TOKEN_LENGTH = 8192  # Okta's access tokens are ~1 KB; anything huge is not one of them
_MAX_JWKS_BYTES = 512 * 1024
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class TokenRejected(UnauthorizedError):
    """The access token is not acceptable; `reason` is a short code for logs and tests."""

    def __init__(self, reason: str, message: str = "the access token is not valid") -> None:
        super().__init__(message)
        self.reason = reason


class JwksUnavailable(Exception):
    """The discovery document or JWKS could not be fetched or had no usable key."""


@dataclass(frozen=True)
class VerifiedToken:
    """What a valid token says about its caller."""

    sub: str
    email: str | None
    groups: tuple[str, ...]
    scopes: tuple[str, ...]
    jti: str | None
    client_id: str | None
    expires_at: int
    claims: Mapping[str, Any] = field(repr=False)


def _monotonic() -> float:
    # A module-level indirection so tests can move time for the process-wide validator.
    return time.monotonic()


def require_safe_url(url: str, what: str) -> str:
    """HTTPS, or plain HTTP only on loopback (the dev issuer); anything else is refused."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS:
        return url
    raise ConfigurationError(f"{what} must be an https:// URL (http only on loopback)")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere (even plain http); Okta's endpoints never redirect."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _http_get_json(url: str, timeout: float) -> Any:
    # Only https (or loopback http) URLs get here: see require_safe_url.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Accept": "application/json", "User-Agent": "xero-bridge-authorizer"}
    )
    handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
    if urlsplit(url).hostname in _LOOPBACK_HOSTS:
        # Loopback never goes through a proxy (a stray HTTP_PROXY must not break make dev).
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                raise JwksUnavailable(f"HTTP {response.status}")
            body = response.read(_MAX_JWKS_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise JwksUnavailable(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise JwksUnavailable(type(exc).__name__) from None
    if len(body) > _MAX_JWKS_BYTES:
        raise JwksUnavailable("response too large")
    try:
        return json.loads(body)
    except ValueError:
        raise JwksUnavailable("response is not JSON") from None


def _usable_keys(jwks: Any) -> dict[str, jwt.PyJWK]:
    """The RS256 signing keys of a JWKS document, by kid (others are skipped)."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise JwksUnavailable("not a JWKS document")
    keys: dict[str, jwt.PyJWK] = {}
    for data in jwks["keys"]:
        if not isinstance(data, dict) or data.get("kty") != "RSA":
            continue
        kid = data.get("kid")
        if not isinstance(kid, str) or not kid:
            continue
        if data.get("use", "sig") != "sig" or data.get("alg", ALGORITHM) != ALGORITHM:
            continue
        try:
            keys[kid] = jwt.PyJWK(data, algorithm=ALGORITHM)
        except jwt.PyJWTError:
            continue
    if not keys:
        raise JwksUnavailable("no usable RS256 signing key")
    return keys


class JwksCache:
    """The issuer's signing keys by kid, cached across invocations, refetched sparingly.

    - First use: discovery document (for ``jwks_uri``, which is then kept) and the JWKS.
    - Unknown kid: one refetch, unless any fetch was attempted in the last
      ``min_refetch_interval`` seconds.
    - After ``max_age`` the keys are refreshed on next use (same limit); if that fails the
      old keys stay in use until ``max_stale``, after which nothing validates.
    - Nothing loaded (Okta unreachable at cold start): a token is refused, and the next try
      waits ``retry_interval`` seconds so a dead issuer is not hit on every request.
    """

    def __init__(
        self,
        issuer: str,
        *,
        jwks_uri: str | None = None,
        min_refetch_interval: float = 60.0,
        retry_interval: float = 5.0,
        max_age: float = 3600.0,
        max_stale: float = 6 * 3600.0,
        timeout: float = 2.0,
        clock: Callable[[], float] | None = None,
        get_json: Callable[[str, float], Any] = _http_get_json,
    ) -> None:
        self.issuer = require_safe_url(issuer.rstrip("/"), "OKTA_ISSUER")
        self._jwks_uri = require_safe_url(jwks_uri, "the JWKS URI") if jwks_uri else None
        self.min_refetch_interval = min_refetch_interval
        self.retry_interval = retry_interval
        self.max_age = max_age
        self.max_stale = max_stale
        self.timeout = timeout
        self._clock = clock
        self._get_json = get_json
        self._keys: dict[str, jwt.PyJWK] = {}
        self._loaded_at: float | None = None
        self._last_attempt: float | None = None
        self._lock = threading.Lock()
        self.fetches = 0  # JWKS requests made (for tests and metrics)

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def signing_key(self, kid: str) -> jwt.PyJWK:
        """The key for `kid`; TokenRejected('unknown_kid' / 'jwks_unavailable') otherwise."""
        with self._lock:
            now = self._clock() if self._clock else _monotonic()
            if self._loaded_at is None or now - self._loaded_at >= self.max_age:
                self._refresh(now, "initial" if self._loaded_at is None else "expired")
            key = self._keys.get(kid)
            if key is None and self._keys:
                # Okta rotated (or the kid is made up): refetch, at most once a minute.
                self._refresh(now, "unknown_kid")
                key = self._keys.get(kid)
            if key is not None:
                return key
            if not self._keys:
                raise TokenRejected("jwks_unavailable")
            raise TokenRejected("unknown_kid")

    def _may_fetch(self, now: float) -> bool:
        if self._last_attempt is None:
            return True
        interval = self.min_refetch_interval if self._keys else self.retry_interval
        return now - self._last_attempt >= interval

    def _refresh(self, now: float, why: str) -> None:
        if not self._may_fetch(now):
            return
        self._last_attempt = now
        try:
            keys = self._fetch()
        except JwksUnavailable as exc:
            logger.warning("Okta JWKS could not be fetched", extra={"why": why, "error": str(exc)})
            if self._loaded_at is not None and now - self._loaded_at >= self.max_stale:
                self._keys, self._loaded_at = {}, None  # too old to trust: fail closed
            return
        self._keys, self._loaded_at = keys, now
        logger.info("Okta JWKS loaded", extra={"why": why, "kids": sorted(keys)})

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        if self._jwks_uri is None:
            self._jwks_uri = self._discover()
        self.fetches += 1
        return _usable_keys(self._get_json(self._jwks_uri, self.timeout))

    def _discover(self) -> str:
        document = self._get_json(f"{self.issuer}/.well-known/openid-configuration", self.timeout)
        if not isinstance(document, dict):
            raise JwksUnavailable("discovery document is not an object")
        # A discovery document for another issuer would hand us someone else's keys.
        if str(document.get("issuer", "")).rstrip("/") != self.issuer:
            raise JwksUnavailable("discovery document names another issuer")
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise JwksUnavailable("discovery document has no jwks_uri")
        try:
            return require_safe_url(jwks_uri, "jwks_uri")
        except ConfigurationError:
            raise JwksUnavailable("jwks_uri is not https") from None


def _string_list(value: Any) -> tuple[str, ...]:
    """Okta sends `scp`/`groups` as lists; a space-separated string is accepted too."""
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str) and item)
    return ()


class OktaTokenValidator:
    """Validates access tokens for one issuer and audience."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        jwks: JwksCache | None = None,
        leeway: float = DEFAULT_LEEWAY_SECONDS,
    ) -> None:
        if not audience:
            raise ConfigurationError("environment variable OKTA_AUDIENCE is not set")
        self.issuer = require_safe_url(issuer.rstrip("/"), "OKTA_ISSUER")
        self.audience = audience
        self.jwks = jwks or JwksCache(self.issuer)
        self.leeway = leeway

    def validate(self, token: str) -> VerifiedToken:
        """The token's caller, or TokenRejected with a reason code."""
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            raise TokenRejected("malformed")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenRejected("malformed") from None
        # Decided before any key is looked up: the algorithm is ours to choose, never the
        # token's (this is what defeats `none` and HS256-with-the-public-key).
        if header.get("alg") != ALGORITHM:
            raise TokenRejected("alg_not_allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > 256:
            raise TokenRejected("missing_kid")
        key = self.jwks.signing_key(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as exc:
            raise TokenRejected(_rejection_reason(exc)) from None
        return _verified(claims)


# What a failed decode says, most specific first (the reason codes the authorizer logs).
_DECODE_REJECTIONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.ImmatureSignatureError, "not_yet_valid"),
    (jwt.InvalidIssuerError, "wrong_issuer"),
    (jwt.InvalidAudienceError, "wrong_audience"),
    (jwt.MissingRequiredClaimError, "missing_claim"),
    (jwt.InvalidSignatureError, "bad_signature"),
)


def _rejection_reason(exc: jwt.PyJWTError) -> str:
    for kind, reason in _DECODE_REJECTIONS:
        if isinstance(exc, kind):
            return reason
    return "invalid"


def _verified(claims: dict[str, Any]) -> VerifiedToken:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip():
        raise TokenRejected("missing_claim")
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        # Okta's `sub` is the user's login, which is normally their e-mail address.
        email = sub if "@" in sub else None
    jti, cid = claims.get("jti"), claims.get("cid")
    return VerifiedToken(
        sub=sub,
        email=email,
        groups=_string_list(claims.get("groups")),
        scopes=_string_list(claims.get("scp", claims.get("scope"))),
        jti=jti if isinstance(jti, str) else None,
        client_id=cid if isinstance(cid, str) else None,
        expires_at=int(claims["exp"]),
        claims=claims,
    )


def bearer_token(header_value: Any) -> str:
    """The token of an ``Authorization: Bearer <jwt>`` value; TokenRejected otherwise.

    Strict on purpose: exactly one scheme, one space-free token of three base64url segments,
    ASCII only. ("Bearer", "Bearer a.b", "Basic …", two tokens and non-ASCII all fail.)
    """
    if not isinstance(header_value, str) or not header_value.isascii():
        raise TokenRejected("malformed_header")
    scheme, _, token = header_value.strip(" \t").partition(" ")
    if scheme.lower() != "bearer":
        raise TokenRejected("malformed_header")
    token = token.strip(" \t")
    segments = token.split(".")
    if (
        not token
        or len(segments) != 3
        or not all(segment and _is_base64url(segment) for segment in segments)
    ):
        raise TokenRejected("malformed_header")
    return token


_BASE64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _is_base64url(segment: str) -> bool:
    return all(char in _BASE64URL for char in segment)


@lru_cache(maxsize=4)
def _validator(issuer: str, audience: str) -> OktaTokenValidator:
    return OktaTokenValidator(issuer, audience)


def get_validator() -> OktaTokenValidator:
    """The process-wide validator for OKTA_ISSUER/OKTA_AUDIENCE (its JWKS cache survives
    between invocations of a warm Lambda)."""
    from xero_bridge.settings import get_settings

    settings = get_settings()
    return _validator(settings.required("okta_issuer"), settings.required("okta_audience"))


def reset_validators() -> None:
    """Forget cached validators and their keys (tests that switch issuers call this)."""
    _validator.cache_clear()
