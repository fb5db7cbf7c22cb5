"""A Python stand-in for Xero's identity service with Xero's rotation rules (no HTTP).

Refresh tokens rotate on every use; a used token keeps working for `grace` seconds after its
first use (answering with the same successor, as Xero does), then gives invalid_grant.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

import jwt
from pydantic import SecretStr

from xero_bridge.redaction import register_secret
from xero_bridge.xero.identity import InvalidGrantError, TokenResponse, XeroConnection


def access_token(auth_event_id: str = "auth-event-1") -> str:
    claims = {
        "authentication_event_id": auth_event_id,
        "jti": secrets.token_hex(8),
        "exp": int(time.time()) + 1800,
    }
    return jwt.encode(claims, "not-a-real-key-but-long-enough-0123456789", algorithm="HS256")


class FakeIdentity:
    def __init__(self, grace: float = 1800.0, delay: float = 0.0) -> None:
        self.grace = grace
        self.delay = delay
        self.lock = threading.Lock()
        self.live: set[str] = set()
        self.first_used: dict[str, float] = {}
        self.successor: dict[str, TokenResponse] = {}
        self.refresh_calls = 0
        self.client_credentials_calls = 0
        self.revoked: list[str] = []
        self.deleted: list[str] = []
        self.tenants: list[XeroConnection] = []
        self.on_refresh: Any = None

    def issue(self, expires_in: int = 1800, refresh: bool = True) -> TokenResponse:
        access = access_token()
        refresh_token = secrets.token_hex(32) if refresh else None
        register_secret(access, refresh_token)
        if refresh_token:
            self.live.add(refresh_token)
        return TokenResponse(
            access_token=SecretStr(access),
            refresh_token=SecretStr(refresh_token) if refresh_token else None,
            expires_in=expires_in,
            expires_at=int(time.time()) + expires_in,
            scopes=["offline_access", "accounting.settings", "accounting.invoices"],
        )

    def refresh(self, refresh_token: str) -> TokenResponse:
        time.sleep(self.delay)
        with self.lock:
            self.refresh_calls += 1
            if self.on_refresh:
                self.on_refresh()
            now = time.monotonic()
            if refresh_token in self.first_used:
                if now - self.first_used[refresh_token] <= self.grace:
                    return self.successor[refresh_token]
                raise InvalidGrantError("rotated away")
            if refresh_token not in self.live:
                raise InvalidGrantError("unknown")
            self.first_used[refresh_token] = now
            issued = self.issue()
            self.successor[refresh_token] = issued
            return issued

    def client_credentials(self, scopes: list[str] | None = None) -> TokenResponse:
        with self.lock:
            self.client_credentials_calls += 1
        return self.issue(refresh=False)

    def revoke(self, refresh_token: str) -> None:
        self.revoked.append(refresh_token)
        self.live.discard(refresh_token)

    def exchange_code(self, *, code: str, code_verifier: str, redirect_uri: str) -> TokenResponse:
        return self.issue()

    def connections(self, access: str, auth_event_id: str | None = None) -> list[XeroConnection]:
        return list(self.tenants)

    def delete_connection(self, access: str, connection_id: str) -> bool:
        self.deleted.append(connection_id)
        return True

    def authorization_url(self, **kwargs: Any) -> str:
        from urllib.parse import urlencode

        return "https://login.example/authorize?" + urlencode(kwargs)
