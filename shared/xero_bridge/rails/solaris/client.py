"""HTTP to Solaris: the OAuth token, retries, and Solaris's errors.

- **Token**: ``POST {auth}/oauth2/token`` with HTTP Basic client id and secret, form
  ``grant_type=client_credentials&scope=partners``. It lives an hour; each process keeps it
  and asks for a new one a minute before it expires (or at once when the API says 401).
  A refused client is a ConfigurationError: an operator's problem, never the caller's.
- **Retries**: a 5xx, a 429, a timeout or a dropped connection is tried again, up to
  SOLARIS_MAX_ATTEMPTS in all, with exponential backoff and jitter. That is safe for every
  call we make: a transfer carries its ``reference`` (Solaris answers the existing one), a
  change request's authorize or confirm names the change request (a second confirm answers
  the first's result), a Verification of Payee is a read. After the last attempt: 503
  (unavailable) or 504 (timed out) — the caller retries with the same Idempotency-Key.
- **Errors**: any other 4xx is `SolarisApiError` with Solaris's first error (``status``
  may be a number or a string there).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import httpx

from xero_bridge.errors import ConfigurationError, ServiceUnavailableError, UpstreamError
from xero_bridge.rails.http import ConnectionPool, NoAnswer, RailHttpClient
from xero_bridge.rails.solaris.config import SolarisConfig
from xero_bridge.redaction import register_secret

RENEW_MARGIN_SECONDS = 60
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class SolarisApiError(Exception):
    """A 4xx answer: Solaris's first error."""

    status: int
    code: str
    title: str = ""
    detail: str = ""
    source_field: str | None = None
    errors: list[dict[str, Any]] = dataclass_field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.detail or self.title}"


@dataclass
class _Token:
    value: str
    renew_at: float  # time.monotonic()


_tokens: dict[tuple[str, str], _Token] = {}
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    with _tokens_lock:
        _tokens.clear()


def error_of(response: httpx.Response) -> SolarisApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    errors = body.get("errors") if isinstance(body, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    source = first.get("source") if isinstance(first.get("source"), dict) else {}
    return SolarisApiError(
        status=response.status_code,
        code=str(first.get("code") or "unknown_error"),
        title=str(first.get("title") or ""),
        detail=str(first.get("detail") or ""),
        source_field=source.get("field") if isinstance(source, dict) else None,
        errors=[e for e in errors or [] if isinstance(e, dict)],
    )


class SolarisClient(RailHttpClient[SolarisConfig]):
    """Calls to the Solaris API for one configuration."""

    title = "Solaris"
    pool = ConnectionPool({"Accept": "application/json"})

    # ------------------------------------------------------------------ token
    def _token(self, renew: bool = False) -> str:
        key = (self.config.auth_url, self.config.client_id)
        with _tokens_lock:
            cached = _tokens.get(key)
            if cached and not renew and time.monotonic() < cached.renew_at:
                return cached.value
            token = self._fetch_token()
            _tokens[key] = token
            return token.value

    def _fetch_token(self) -> _Token:
        try:
            response = self._send(
                "POST",
                f"{self.config.auth_url}/oauth2/token",
                auth=(self.config.client_id, self.config.client_secret),
                data={"grant_type": "client_credentials", "scope": "partners"},
            )
        except SolarisApiError as exc:
            raise ConfigurationError(
                f"Solaris refused the client credentials ({exc.code})"
            ) from None
        body = response.json()
        value = str(body.get("access_token") or "")
        if not value:
            raise UpstreamError("Solaris answered no access token")
        register_secret(value)
        lifetime = int(body.get("expires_in") or 3600)
        renew_in = max(lifetime - RENEW_MARGIN_SECONDS, lifetime // 2)
        return _Token(value, time.monotonic() + renew_in)

    # ------------------------------------------------------------------ calls
    def request(self, method: str, path: str, body: dict[str, Any] | None = None,
                params: dict[str, str] | None = None) -> httpx.Response:  # fmt: skip
        """One API call (retried as the module says); SolarisApiError for a 4xx."""
        url = f"{self.config.api_url}{path}"
        for renewed in (False, True):
            headers = {"Authorization": f"Bearer {self._token(renew=renewed)}"}
            try:
                return self._send(method, url, json=body, params=params, headers=headers)
            except SolarisApiError as exc:
                if exc.status != 401 or renewed:
                    raise
        raise AssertionError("unreachable")

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        def attempt(_: int, last: bool) -> httpx.Response | str:
            try:
                response = self._attempt(method, url, **kwargs)
            except NoAnswer as none:
                if last:
                    raise self._gave_up(none) from None
                return none.why
            if response.status_code in RETRIED_STATUSES:
                if last:
                    raise ServiceUnavailableError(
                        f"Solaris is unavailable ({response.status_code}): retry"
                    )
                return str(response.status_code)
            if response.status_code >= 400:
                raise error_of(response)
            return response

        path = url.split("://", 1)[-1].split("/", 1)[-1]
        return self._retrying(attempt, method=method, path=path)
