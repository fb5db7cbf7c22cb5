"""The dev issuer's RSA signing keys, shared through ``state_dir/keys.json`` (mode 0600).

Every process that uses the folder (``make dev``, ``make token``, tests) signs with the same
keys; rotation appends a key (a new kid) and keeps publishing the old ones, as Okta does.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEYS_FILE = "keys.json"


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

    def find(self, kid: str) -> SigningKey | None:
        """The published key with this kid, if any (to verify tokens this issuer signed)."""
        return next((key for key in self.load() if key.kid == kid), None)
