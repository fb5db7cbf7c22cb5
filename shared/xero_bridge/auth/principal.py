"""The signed-in caller as a function sees it, and its encoding in the authorizer context.

API Gateway passes the authorizer's `context` to the function at
``event["requestContext"]["authorizer"]["lambda"]``. Its values must be strings, numbers or
booleans, so lists are encoded:

=========== ==================================================================================
key         value
=========== ==================================================================================
sub         the Okta subject (the user's login, e.g. ``alice@example.com``)
email       the e-mail address, or ``""`` when unknown
groups      a JSON array of strings, e.g. ``["finance", "Finance Team"]`` (group names may
            contain spaces, so not space-separated)
scopes      space-separated scopes, e.g. ``"payments:write ask"`` (OAuth scopes never contain
            spaces)
token_id    the token's ``jti`` (for audit trails; never the token itself), or ``""``
client_id   the Okta application (``cid``) that obtained the token, or ``""``
=========== ==================================================================================

`to_context` and `from_context` are the only encoder and decoder; the authorizer uses one and
every function the other.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xero_bridge.errors import UnauthorizedError

ADMIN = "admin"  # the scope, and the Okta group, that make someone an administrator


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    sub: str = Field(min_length=1)
    email: str | None = None
    groups: list[str] = Field(default_factory=list)
    scopes: list[str] = Field(default_factory=list)
    token_id: str | None = None
    client_id: str | None = None

    @property
    def is_admin(self) -> bool:
        """An administrator has the `admin` scope or is in the `admin` Okta group."""
        return ADMIN in self.scopes or ADMIN in self.groups

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def in_group(self, group: str) -> bool:
        return group in self.groups

    # ------------------------------------------------------------------ authorizer context
    def to_context(self) -> dict[str, str]:
        """The authorizer's `context` (flat strings, as API Gateway requires)."""
        return {
            "sub": self.sub,
            "email": self.email or "",
            "groups": json.dumps(self.groups, separators=(",", ":")),
            "scopes": " ".join(self.scopes),
            "token_id": self.token_id or "",
            "client_id": self.client_id or "",
        }

    @classmethod
    def from_context(cls, context: dict[str, Any]) -> Principal:
        """The principal from an authorizer context; UnauthorizedError when it is not one."""
        try:
            return cls(
                sub=str(context.get("sub") or ""),
                email=str(context.get("email") or "") or None,
                groups=_decode_groups(context.get("groups")),
                scopes=str(context.get("scopes") or "").split(),
                token_id=str(context.get("token_id") or "") or None,
                client_id=str(context.get("client_id") or "") or None,
            )
        except (ValidationError, ValueError):
            raise UnauthorizedError("sign-in required") from None

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> Principal:
        """The caller of an HTTP API payload-2.0 event that passed the Okta authorizer.

        A function reached without the authorizer (a template mistake) gets 401, never an
        anonymous principal.
        """
        request_context = event.get("requestContext") or {}
        authorizer = request_context.get("authorizer") or {}
        context = authorizer.get("lambda") if isinstance(authorizer, dict) else None
        if not isinstance(context, dict):
            raise UnauthorizedError("sign-in required")
        return cls.from_context(context)


def _decode_groups(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    text = str(value)
    if text.startswith("["):
        decoded = json.loads(text)
        if not isinstance(decoded, list) or not all(isinstance(g, str) for g in decoded):
            raise ValueError("groups must be a JSON array of strings")
        return decoded
    return text.split()  # tolerated: a space-separated list from an older context
