"""Okta's JWTs as a custom authorization server signs them: access tokens and ID tokens.

Access tokens carry ver, jti (``AT.…``), iss, aud, iat, exp, cid, uid, scp (a list), sub (the
login) and groups. ID tokens carry sub (the user id, as /v1/userinfo answers), ver, iss, aud
(the client id), iat, exp, jti (``ID.…``), amr, idp, auth_time, nonce (when the authorize
request had one), at_hash (when issued with an access token), name and preferred_username
(scope ``profile``), email (scope ``email``) and groups. Both are RS256 with the newest key.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt

from devstack.sim_kit.clock import SimClock as Clock

from .directory import DEV_ORG_ID, display_name, user_id
from .keys import KeyStore, SigningKey


@dataclass(frozen=True)
class IdTokenGrant:
    """What an ID token is about beyond the user: the client, scopes, nonce and sign-in time."""

    client_id: str
    scopes: tuple[str, ...]
    groups: tuple[str, ...]
    auth_time: float
    nonce: str | None = None


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def at_hash(access_token: str) -> str:
    """OIDC Core 3.1.3.6: base64url of the left half of SHA-256 of the access token."""
    return b64url(hashlib.sha256(access_token.encode("ascii")).digest()[:16])


class TokenMinter:
    def __init__(self, keys: KeyStore, clock: Clock, audience: str) -> None:
        self.keys = keys
        self.clock = clock
        self.audience = audience

    def access_claims(
        self,
        issuer: str,
        login: str,
        scopes: Sequence[str],
        groups: Sequence[str],
        client_id: str,
        ttl: int,
    ) -> dict[str, Any]:
        now = int(self.clock.now())
        return {
            "ver": 1,
            "jti": "AT." + secrets.token_urlsafe(24),
            "iss": issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + ttl,
            "cid": client_id,
            "uid": user_id(login),
            "scp": list(scopes),
            "sub": login,
            "groups": list(groups),
        }

    def id_token_claims(
        self,
        issuer: str,
        login: str,
        grant: IdTokenGrant,
        access_token: str | None,
        ttl: int,
    ) -> dict[str, Any]:
        now = int(self.clock.now())
        claims: dict[str, Any] = {
            "sub": user_id(login),
            "ver": 1,
            "iss": issuer,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + ttl,
            "jti": "ID." + secrets.token_urlsafe(15),
            "amr": ["pwd"],
            "idp": DEV_ORG_ID,
            "auth_time": int(grant.auth_time),
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        if "profile" in grant.scopes:
            claims["name"] = display_name(login)
            claims["preferred_username"] = login
        if "email" in grant.scopes:
            claims["email"] = login
        if access_token is not None:
            claims["at_hash"] = at_hash(access_token)
        claims["groups"] = list(grant.groups)
        return claims

    def sign(
        self,
        claims: dict[str, Any],
        headers: dict[str, Any] | None = None,
        key: SigningKey | None = None,
    ) -> str:
        """RS256 with the current key; `headers` replace JOSE fields (None removes one)."""
        signer = key or self.keys.current()
        header: dict[str, Any] = {"kid": signer.kid, "alg": "RS256"}
        for name, value in (headers or {}).items():
            if value is None:
                header.pop(name, None)
            else:
                header[name] = value
        return jwt.encode(
            claims, signer.private_key, algorithm=header.get("alg", "RS256"), headers=header
        )

    def verify(
        self, token: str, issuer: str, audience: str | Sequence[str], check_expiry: bool = True
    ) -> dict[str, Any] | None:
        """The claims of a JWT this issuer signed (by kid), or None. Expiry reads our clock."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self.keys.find(kid) if isinstance(kid, str) else None
            if key is None:
                return None
            claims: dict[str, Any] = jwt.decode(
                token,
                key.private_key.public_key(),
                algorithms=["RS256"],
                audience=audience,
                issuer=issuer,
                options={"verify_exp": False, "verify_iat": False, "require": ["exp", "iat"]},
            )
        except jwt.PyJWTError:
            return None
        if check_expiry and claims["exp"] <= self.clock.now():
            return None
        return claims
