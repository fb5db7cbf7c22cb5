"""DevOktaIssuer: the dev Okta custom authorization server, served on loopback.

The issuer is ``http://127.0.0.1:<port>/oauth2/default``. The RSA keys live in
``state_dir/keys.json`` and the running issuer writes its URL to ``state_dir/issuer.json``, so
``make token`` in another process signs with the keys the running stack trusts
(``DevOktaIssuer.from_state``). Sessions, codes, refresh tokens and revocations live in memory.

For tests: ``jwks_fetches`` / ``discovery_fetches`` count requests, ``jwks_available = False``
makes the JWKS answer 503, ``rotate_keys()`` adds a signing key (old ones stay published),
``clock.advance(s)`` moves the issuer's time, ``reset()`` forgets sessions and grants.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devstack.sim_kit.clock import SimClock as Clock

from .directory import (
    AUTH_SERVER_PATH,
    DEFAULT_AUDIENCE,
    DEMO_USERS,
    DEV_CLIENT_ID,
    AuthServerPolicy,
    ConsoleClient,
    Lifetimes,
    login_of,
)
from .grants import Grants
from .keys import KeyStore, SigningKey
from .metadata import discovery_document
from .tokens import TokenMinter

if TYPE_CHECKING:
    from flask import Flask

    from devstack.sim_kit.serving import LoopbackServer

ISSUER_FILE = "issuer.json"


class DevOktaIssuer:
    """The dev issuer; ``start()`` serves it on loopback, ``mint()`` signs access tokens."""

    def __init__(
        self,
        state_dir: Path | str,
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        audience: str = DEFAULT_AUDIENCE,
        client_id: str = DEV_CLIENT_ID,
        console: ConsoleClient | None = None,
        lifetimes: Lifetimes | None = None,
        policy: AuthServerPolicy | None = None,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.host = host
        self.port = port
        self.audience = audience
        self.client_id = client_id  # the `cid` of minted tokens (make token)
        self.console = console or ConsoleClient()
        self.lifetimes = lifetimes or Lifetimes()
        self.policy = policy or AuthServerPolicy()
        self.clock = Clock()
        self.keys = KeyStore(self.state_dir)
        self.minter = TokenMinter(self.keys, self.clock, audience)
        self.grants = Grants(self.clock, self.lifetimes)
        self.jwks_fetches = 0
        self.discovery_fetches = 0
        self.jwks_available = True
        self._issuer: str | None = None
        self._server: LoopbackServer | None = None
        self._count_lock = threading.Lock()
        self._app: Flask | None = None

    @property
    def app(self) -> Flask:
        """The WSGI app, built on first use (minting alone never imports Flask)."""
        if self._app is None:
            from .server import build_app

            self._app = build_app(self)
        return self._app

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def from_state(cls, state_dir: Path | str) -> DevOktaIssuer:
        """The issuer a running stack wrote to `state_dir`, for minting only (not served here).

        Raises FileNotFoundError when no stack has started an issuer with this folder.
        """
        state = json.loads((Path(state_dir) / ISSUER_FILE).read_text())
        issuer = cls(state_dir, audience=state["audience"], client_id=state["client_id"])
        issuer._issuer = state["issuer"]
        return issuer

    @property
    def issuer(self) -> str:
        if self._issuer is None:
            raise RuntimeError("the dev Okta issuer is not started")
        return self._issuer

    @property
    def url(self) -> str:
        """The server's base URL (the issuer without /oauth2/default)."""
        return self.issuer.removesuffix(AUTH_SERVER_PATH)

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/v1/keys"

    def start(self) -> str:
        """Serve on loopback in a background thread; returns the issuer URL."""
        from .server import serve

        self.keys.load()
        self._server = serve(self.app, self.host, self.port)
        self.port = self._server.port
        self._issuer = f"http://{self.host}:{self.port}{AUTH_SERVER_PATH}"
        state = {
            "issuer": self._issuer,
            "audience": self.audience,
            "client_id": self.client_id,
            "console_client_id": self.console.client_id,
            "pid": os.getpid(),
        }
        tmp = self.state_dir / (ISSUER_FILE + ".tmp")
        tmp.write_text(json.dumps(state, indent=1))
        os.replace(tmp, self.state_dir / ISSUER_FILE)
        return self._issuer

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        # Forget the URL only if it is still ours (another stack may share the folder).
        path = self.state_dir / ISSUER_FILE
        with contextlib.suppress(FileNotFoundError, ValueError):
            if json.loads(path.read_text()).get("issuer") == self._issuer:
                path.unlink()

    def __enter__(self) -> DevOktaIssuer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget sessions, codes, refresh tokens and revocations; clock back to real time."""
        self.grants.reset()
        self.clock.reset()

    # ------------------------------------------------------------------ clients and revocation
    def client(self, client_id: str) -> ConsoleClient | None:
        return self.console if client_id and client_id == self.console.client_id else None

    def revoked(self, jti: str) -> bool:
        """Whether the access token with this jti was revoked (/v1/revoke or a reused refresh
        token). Okta's JWTs stay valid by signature, so an API learns this by introspection."""
        return self.grants.is_revoked(jti)

    # ------------------------------------------------------------------ keys and tokens
    def rotate_keys(self, retire_old: bool = False) -> str:
        """A new signing key (new kid) that signs from now on; returns its kid."""
        return self.rotate(retire_old).kid

    def rotate(self, retire_old: bool = False) -> SigningKey:
        return self.keys.rotate(retire_old)

    @property
    def current_key(self) -> SigningKey:
        return self.keys.current()

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self.keys.load()]}

    def claims(
        self,
        user: str = "alice",
        scopes: Sequence[str] | str | None = None,
        groups: Sequence[str] | str | None = None,
        email: str | None = None,
        ttl: int = 3600,
    ) -> dict[str, Any]:
        demo = DEMO_USERS.get(user)
        if scopes is None:
            scopes = demo.scopes if demo else ()
        if groups is None:
            groups = demo.groups if demo else ()
        if isinstance(scopes, str):
            scopes = scopes.split()
        if isinstance(groups, str):
            groups = groups.split()
        claims = self.minter.access_claims(
            self.issuer, login_of(user), scopes, groups, self.client_id, ttl
        )
        if email is not None:
            claims["email"] = email
        return claims

    def mint(
        self,
        user: str = "alice",
        scopes: Sequence[str] | str | None = None,
        groups: Sequence[str] | str | None = None,
        email: str | None = None,
        ttl: int = 3600,
        *,
        headers: dict[str, Any] | None = None,
        key: SigningKey | None = None,
        **overrides: Any,
    ) -> str:
        """An RS256 access token for `user`, signed with the current key.

        `overrides` replace claims and `headers` JOSE header fields (e.g. another kid, or
        ``alg: RS512``); a value of None removes one. `key` signs with another stored key.
        """
        claims = self.claims(user, scopes, groups, email, ttl)
        for name, value in overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return self.minter.sign(claims, headers, key)

    # ------------------------------------------------------------------ HTTP
    def discovery(self) -> dict[str, Any]:
        return discovery_document(self)

    def count(self, what: str) -> None:
        with self._count_lock:
            if what == "jwks":
                self.jwks_fetches += 1
            elif what == "discovery":
                self.discovery_fetches += 1

    def reset_counters(self) -> None:
        with self._count_lock:
            self.jwks_fetches = 0
            self.discovery_fetches = 0
