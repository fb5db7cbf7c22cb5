"""A development Okta issuer on loopback: discovery documents, JWKS and minted access tokens.

It mirrors an Okta *custom authorization server* (the only kind whose access tokens an API
may validate): the issuer is ``http://127.0.0.1:<port>/oauth2/default`` and it serves

- ``{issuer}/.well-known/openid-configuration`` and
  ``{issuer}/.well-known/oauth-authorization-server``
- ``{issuer}/v1/keys`` (the JWKS; every key it has, the newest signs)

The RSA keys are generated once and kept in ``state_dir/keys.json`` (mode 0600), and the
running issuer writes its URL to ``state_dir/issuer.json``, so ``make token`` in another
process signs with the keys the running stack trusts (``DevOktaIssuer.from_state``).

Tokens carry Okta's access-token claims: ver, jti, iss, aud, iat, exp, cid, uid, scp (a
list), sub (the user's login, e-mail-like) and groups (a list; Okta adds it only when the
authorization server has a groups claim, which the dev issuer always has).

Demo users (``mint(user=...)`` without scopes/groups uses their defaults):

====== ============================ ================= ===========================================
user   sub                          groups            default scopes
====== ============================ ================= ===========================================
alice  alice@example.com            finance           xero:connect payments:write ask records:read
                                                      records:write
bob    bob@example.com              approvers         payments:approve ask records:read
carol  carol@example.com            admin             xero:connect admin records:read
====== ============================ ================= ===========================================

Any other name works too (``dave`` → ``dave@example.com``, no default scopes or groups).

For tests: ``jwks_fetches`` counts JWKS requests, ``jwks_available = False`` makes the JWKS
answer 503, and ``rotate_keys()`` adds a new signing key (a new kid) while still publishing
the old ones, as Okta does around a rotation.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

DEFAULT_AUDIENCE = "api://xero-bridge"
AUTH_SERVER_PATH = "/oauth2/default"
DEV_CLIENT_ID = "0oadevxerobridge0001"
EMAIL_DOMAIN = "example.com"

KEYS_FILE = "keys.json"
ISSUER_FILE = "issuer.json"


@dataclass(frozen=True)
class DemoUser:
    groups: tuple[str, ...]
    scopes: tuple[str, ...]


DEMO_USERS: dict[str, DemoUser] = {
    "alice": DemoUser(
        ("finance",), ("xero:connect", "payments:write", "ask", "records:read", "records:write")
    ),
    "bob": DemoUser(("approvers",), ("payments:approve", "ask", "records:read")),
    "carol": DemoUser(("admin",), ("xero:connect", "admin", "records:read")),
}


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey
    created_at: int

    @classmethod
    def generate(cls) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid=_kid(key), private_key=key, created_at=int(time.time()))

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(
            jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key())
        )
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return jwk

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def to_json(self) -> dict[str, Any]:
        pem = self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {"kid": self.kid, "created_at": self.created_at, "private_pem": pem.decode()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SigningKey:
        key = serialization.load_pem_private_key(data["private_pem"].encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the dev issuer's keys must be RSA")
        return cls(kid=data["kid"], private_key=key, created_at=int(data["created_at"]))


def _kid(key: rsa.RSAPrivateKey) -> str:
    """A stable kid from the public key (like Okta's: opaque, URL-safe)."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:18]).decode().rstrip("=")


class KeyStore:
    """The signing keys in ``state_dir/keys.json``, shared by every process that uses the folder."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        self.path = self.state_dir / KEYS_FILE
        self._keys: list[SigningKey] = []
        self._mtime: int | None = None
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        # Across processes: `make dev` and `make token` may both create the keys at once.
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> None:
        data = json.loads(self.path.read_text())
        self._keys = [SigningKey.from_json(item) for item in data["keys"]]
        self._mtime = self.path.stat().st_mtime_ns

    def _write(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump({"keys": [key.to_json() for key in self._keys]}, handle, indent=1)
        os.replace(tmp, self.path)
        self._mtime = self.path.stat().st_mtime_ns

    def load(self) -> list[SigningKey]:
        """The keys, created on first use and re-read when another process changed the file."""
        with self._lock:
            try:
                mtime: int | None = self.path.stat().st_mtime_ns
            except FileNotFoundError:
                mtime = None
            if self._keys and mtime == self._mtime:
                return list(self._keys)
            with self._file_lock():
                if self.path.exists():
                    self._read()
                else:
                    self._keys = [SigningKey.generate()]
                    self._write()
            return list(self._keys)

    def rotate(self, retire_old: bool = False) -> SigningKey:
        """Add a new signing key; the old ones stay published unless `retire_old`."""
        with self._lock, self._file_lock():
            if self.path.exists():
                self._read()
            new = SigningKey.generate()
            self._keys = [new] if retire_old else [*self._keys, new]
            self._write()
            return new

    def current(self) -> SigningKey:
        """The newest key (rotation appends), which signs new tokens."""
        return self.load()[-1]


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
    ) -> None:
        self.state_dir = Path(state_dir)
        self.host = host
        self.port = port
        self.audience = audience
        self.client_id = client_id
        self.keys = KeyStore(self.state_dir)
        self.jwks_fetches = 0
        self.discovery_fetches = 0
        self.jwks_available = True
        self._issuer: str | None = None
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._count_lock = threading.Lock()

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
        self.keys.load()
        self._server = make_server(
            self.host, self.port, self._wsgi, threaded=True, request_handler=_QuietHandler
        )
        self.port = self._server.server_port
        self._issuer = f"http://{self.host}:{self.port}{AUTH_SERVER_PATH}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="dev-okta", daemon=True
        )
        self._thread.start()
        state = {
            "issuer": self._issuer,
            "audience": self.audience,
            "client_id": self.client_id,
            "pid": os.getpid(),
        }
        tmp = self.state_dir / (ISSUER_FILE + ".tmp")
        tmp.write_text(json.dumps(state, indent=1))
        os.replace(tmp, self.state_dir / ISSUER_FILE)
        return self._issuer

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
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
        login = user if "@" in user else f"{user}@{EMAIL_DOMAIN}"
        now = int(time.time())
        claims: dict[str, Any] = {
            "ver": 1,
            "jti": "AT." + secrets.token_urlsafe(24),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + ttl,
            "cid": self.client_id,
            "uid": "00u" + hashlib.sha256(login.encode()).hexdigest()[:17],
            "scp": list(scopes),
            "sub": login,
            "groups": list(groups),
        }
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
        signer = key or self.current_key
        header: dict[str, Any] = {"kid": signer.kid, "alg": "RS256"}
        for name, value in (headers or {}).items():
            if value is None:
                header.pop(name, None)
            else:
                header[name] = value
        return jwt.encode(
            claims, signer.private_key, algorithm=header.get("alg", "RS256"), headers=header
        )

    # ------------------------------------------------------------------ HTTP
    def discovery(self) -> dict[str, Any]:
        issuer = self.issuer
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/v1/authorize",
            "token_endpoint": f"{issuer}/v1/token",
            "userinfo_endpoint": f"{issuer}/v1/userinfo",
            "jwks_uri": f"{issuer}/v1/keys",
            "introspection_endpoint": f"{issuer}/v1/introspect",
            "revocation_endpoint": f"{issuer}/v1/revoke",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "none"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": [
                "openid",
                "profile",
                "email",
                "groups",
                "xero:connect",
                "payments:write",
                "payments:approve",
                "ask",
                "records:read",
                "records:write",
                "admin",
            ],
            "claims_supported": [
                *("ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid"),
                *("scp", "sub", "groups", "email"),
            ],
        }

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        return self._route(request)(environ, start_response)

    def _route(self, request: Request) -> Response:
        if request.method != "GET":
            return _json({"errorCode": "E0000022", "errorSummary": "method not allowed"}, 405)
        path = request.path
        if not path.startswith(AUTH_SERVER_PATH + "/"):
            return _json({"errorCode": "E0000007", "errorSummary": "Not found"}, 404)
        rest = path[len(AUTH_SERVER_PATH) :]
        if rest in ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"):
            with self._count_lock:
                self.discovery_fetches += 1
            return _json(self.discovery(), 200)
        if rest == "/v1/keys":
            with self._count_lock:
                self.jwks_fetches += 1
            if not self.jwks_available:
                return _json({"errorCode": "E0000009", "errorSummary": "unavailable"}, 503)
            response = _json(self.jwks(), 200)
            response.headers["Cache-Control"] = "max-age=3600, must-revalidate"
            return response
        return _json({"errorCode": "E0000007", "errorSummary": "Not found"}, 404)

    def reset_counters(self) -> None:
        with self._count_lock:
            self.jwks_fetches = 0
            self.discovery_fetches = 0


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # a line per JWKS fetch is noise
        pass


def _json(body: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(body), status, content_type="application/json")
