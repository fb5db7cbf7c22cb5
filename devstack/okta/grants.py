"""The issuer's state: sign-in sessions, held sign-in requests, authorization codes, rotating
refresh tokens and revoked access tokens. Everything reads the issuer's clock.

- A session is the browser's Okta session (cookie ``sid``); ``prompt=none`` needs one.
- A code is single-use (any redemption attempt burns it), lives 300 s, and is bound to its
  client, redirect URI and PKCE challenge (S256 only).
- Refresh tokens of one sign-in form a family. Each use rotates: a new token is issued and
  the used one keeps working only for the grace period (Okta's "grace period for token
  rotation"). A use after that is reuse: the whole family is revoked, with the access tokens
  it minted, as Okta's reuse detection does.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from devstack.sim_kit.clock import SimClock as Clock

from .directory import Lifetimes
from .tokens import b64url

CODE_INVALID = "The authorization code is invalid or has expired."
REDIRECT_MISMATCH = (
    "The 'redirect_uri' does not match the redirection URI used in the authorization request."
)
PKCE_FAILED = "PKCE verification failed."
REFRESH_INVALID = "The refresh token is invalid or expired."
SCOPE_WIDENED = "The requested scopes exceed the scopes of the original grant."
# RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


class OAuthError(Exception):
    """An OAuth error as Okta answers it: ``{"error", "error_description"}`` and a status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


@dataclass(frozen=True)
class AuthorizeRequest:
    """A validated /v1/authorize request (what the sign-in form completes)."""

    client_id: str
    redirect_uri: str
    response_mode: str  # query | fragment | form_post | okta_post_message
    scopes: tuple[str, ...]
    state: str
    code_challenge: str
    nonce: str | None = None
    prompt: frozenset[str] = frozenset()
    login_hint: str = ""
    max_age: int | None = None


@dataclass
class Session:
    id: str
    login: str
    auth_time: float
    expires_at: float


@dataclass
class AuthCode:
    request: AuthorizeRequest
    login: str
    scopes: tuple[str, ...]
    auth_time: float
    expires_at: float
    used: bool = False


@dataclass
class Family:
    """One sign-in's refresh tokens (and the access tokens they minted)."""

    id: str
    client_id: str
    login: str
    scopes: tuple[str, ...]
    auth_time: float
    revoked: bool = False
    access_jtis: set[str] = field(default_factory=set)


@dataclass
class RefreshRecord:
    family: Family
    issued_at: float
    expires_at: float
    rotated_at: float | None = None


def s256(verifier: str) -> str:
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


class Grants:
    def __init__(self, clock: Clock, lifetimes: Lifetimes) -> None:
        self.clock = clock
        self.lifetimes = lifetimes
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._held: dict[str, tuple[AuthorizeRequest, float]] = {}
        self._codes: dict[str, AuthCode] = {}
        self._refresh: dict[str, RefreshRecord] = {}
        self._revoked: set[str] = set()

    def reset(self) -> None:
        with self._lock:
            for table in (self._sessions, self._held, self._codes, self._refresh):
                table.clear()
            self._revoked.clear()

    # ------------------------------------------------------------------ sessions
    def start_session(self, login: str) -> Session:
        now = self.clock.now()
        session = Session(secrets.token_urlsafe(24), login, now, now + self.lifetimes.session)
        with self._lock:
            self._sessions[session.id] = session
        return session

    def session(self, session_id: str | None) -> Session | None:
        """The live session with this id (None when unknown, ended or expired)."""
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
        if session is None or session.expires_at <= self.clock.now():
            return None
        return session

    def end_session(self, session_id: str | None) -> bool:
        with self._lock:
            return self._sessions.pop(session_id or "", None) is not None

    # ------------------------------------------------------------------ held sign-in requests
    def hold(self, request: AuthorizeRequest) -> str:
        """Keep a validated authorize request for the sign-in form; returns its id."""
        request_id = secrets.token_urlsafe(24)
        with self._lock:
            self._held[request_id] = (request, self.clock.now() + self.lifetimes.sign_in_request)
        return request_id

    def held(self, request_id: str) -> AuthorizeRequest | None:
        with self._lock:
            entry = self._held.get(request_id)
        if entry is None or entry[1] <= self.clock.now():
            return None
        return entry[0]

    def release(self, request_id: str) -> None:
        with self._lock:
            self._held.pop(request_id, None)

    # ------------------------------------------------------------------ authorization codes
    def issue_code(
        self, request: AuthorizeRequest, login: str, scopes: Iterable[str], auth_time: float
    ) -> str:
        code = secrets.token_urlsafe(32)
        expires_at = self.clock.now() + self.lifetimes.authorization_code
        with self._lock:
            self._codes[code] = AuthCode(request, login, tuple(scopes), auth_time, expires_at)
        return code

    def redeem_code(self, client_id: str, code: str, redirect_uri: str, verifier: str) -> AuthCode:
        """The code's grant, once; raises OAuthError(invalid_grant) as Okta does."""
        with self._lock:
            grant = self._codes.get(code)
            fresh = grant is not None and not grant.used
            if grant is not None:
                grant.used = True  # any attempt burns it: no guessing the verifier
        if grant is None or not fresh or grant.expires_at <= self.clock.now():
            raise OAuthError("invalid_grant", CODE_INVALID)
        if grant.request.client_id != client_id:
            raise OAuthError("invalid_grant", CODE_INVALID)
        if redirect_uri != grant.request.redirect_uri:
            raise OAuthError("invalid_grant", REDIRECT_MISMATCH)
        if not _VERIFIER.fullmatch(verifier) or not hmac.compare_digest(
            s256(verifier), grant.request.code_challenge
        ):
            raise OAuthError("invalid_grant", PKCE_FAILED)
        return grant

    # ------------------------------------------------------------------ refresh tokens
    def start_family(
        self, client_id: str, login: str, scopes: Iterable[str], auth_time: float
    ) -> Family:
        return Family(secrets.token_urlsafe(12), client_id, login, tuple(scopes), auth_time)

    def issue_refresh(self, family: Family) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        with self._lock:
            self._refresh[token] = RefreshRecord(
                family, now, now + self.lifetimes.refresh_token_idle
            )
        return token

    def use_refresh(
        self, client_id: str, token: str, scopes: tuple[str, ...] | None
    ) -> tuple[Family, tuple[str, ...]]:
        """Rotate a refresh token: its family and the scopes to grant (the caller issues the
        next token). `scopes` (None: the original ones) may narrow, never widen, the grant."""
        now = self.clock.now()
        with self._lock:
            record = self._refresh.get(token)
            if record is None or record.family.revoked or record.expires_at <= now:
                raise OAuthError("invalid_grant", REFRESH_INVALID)
            family = record.family
            if family.client_id != client_id:
                raise OAuthError("invalid_grant", REFRESH_INVALID)
            if (
                record.rotated_at is not None
                and now - record.rotated_at > self.lifetimes.refresh_grace
            ):
                self._revoke_family(family)  # reuse detected
                raise OAuthError("invalid_grant", REFRESH_INVALID)
            if scopes is not None and not set(scopes) <= set(family.scopes):
                raise OAuthError("invalid_scope", SCOPE_WIDENED)
            if record.rotated_at is None:
                record.rotated_at = now
            return family, scopes if scopes is not None else family.scopes

    def refresh_record(self, token: str) -> RefreshRecord | None:
        """A refresh token that still works (for introspection)."""
        now = self.clock.now()
        with self._lock:
            record = self._refresh.get(token)
        if record is None or record.family.revoked or record.expires_at <= now:
            return None
        if record.rotated_at is not None and now - record.rotated_at > self.lifetimes.refresh_grace:
            return None
        return record

    def revoke_refresh(self, token: str, client_id: str) -> bool:
        """Revoke the refresh token's whole family (and its access tokens)."""
        with self._lock:
            record = self._refresh.get(token)
            if record is None or record.family.client_id != client_id:
                return False
            self._revoke_family(record.family)
            return True

    def _revoke_family(self, family: Family) -> None:
        family.revoked = True
        self._revoked |= family.access_jtis

    # ------------------------------------------------------------------ access tokens
    def record_access(self, family: Family | None, jti: str) -> None:
        if family is not None:
            with self._lock:
                family.access_jtis.add(jti)

    def revoke_access(self, jti: str) -> None:
        with self._lock:
            self._revoked.add(jti)

    def is_revoked(self, jti: str) -> bool:
        with self._lock:
            return jti in self._revoked
