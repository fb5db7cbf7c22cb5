"""Who and what the dev issuer knows: demo users, the console's SPA client, scopes, lifetimes.

Demo users (``mint(user=...)`` without scopes/groups uses their defaults; the sign-in page
takes the short name or the e-mail with the password):

====== ============================ =========== ================ ==============================
user   login (access-token ``sub``) password    groups           default scopes
====== ============================ =========== ================ ==============================
alice  alice@example.com            alice-demo  finance          xero:connect payments:write ask
                                                                 records:read records:write
bob    bob@example.com              bob-demo    approvers        payments:approve ask
                                                                 records:read
carol  carol@example.com            carol-demo  admin            xero:connect admin records:read
====== ============================ =========== ================ ==============================

The console is an Okta "Single-Page App": a public client (no secret, PKCE required) with
registered sign-in and sign-out redirect URIs, and its origins are Okta "Trusted Origins"
(CORS) — by default the Vite dev server on 127.0.0.1:5173 and localhost:5173.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_AUDIENCE = "api://xero-bridge"
AUTH_SERVER_PATH = "/oauth2/default"
DEV_CLIENT_ID = "0oadevxerobridge0001"  # the `cid` of tokens from `mint` / `make token`
CONSOLE_CLIENT_ID = "0oadevconsole000001"
DEV_ORG_ID = "00odevoktaorg0000001"  # Okta's `idp` claim: the org itself as identity provider
EMAIL_DOMAIN = "example.com"
DEFAULT_CONSOLE_ORIGINS = ("http://127.0.0.1:5173", "http://localhost:5173")
CONSOLE_CALLBACK_PATH = "/login/callback"

OIDC_SCOPES = ("openid", "profile", "email", "offline_access", "groups")
API_SCOPES = (
    "xero:connect",
    "payments:write",
    "payments:approve",
    "ask",
    "records:read",
    "records:write",
    "admin",
)


@dataclass(frozen=True)
class DemoUser:
    groups: tuple[str, ...]
    scopes: tuple[str, ...]
    password: str = ""  # empty: cannot sign in on the page (minting still works)
    name: str = ""


DEMO_USERS: dict[str, DemoUser] = {
    "alice": DemoUser(
        ("finance",),
        ("xero:connect", "payments:write", "ask", "records:read", "records:write"),
        password="alice-demo",
        name="Alice Adams",
    ),
    "bob": DemoUser(
        ("approvers",),
        ("payments:approve", "ask", "records:read"),
        password="bob-demo",
        name="Bob Baker",
    ),
    "carol": DemoUser(
        ("admin",),
        ("xero:connect", "admin", "records:read"),
        password="carol-demo",
        name="Carol Clark",
    ),
}

# For `make dev` to print: {"alice": "alice-demo", ...}
DEMO_PASSWORDS: dict[str, str] = {name: user.password for name, user in DEMO_USERS.items()}


def demo_users_line() -> str:
    """``alice/alice-demo (finance), bob/bob-demo (approvers), carol/carol-demo (admin)``."""
    return ", ".join(
        f"{name}/{user.password} ({' '.join(user.groups)})" for name, user in DEMO_USERS.items()
    )


def login_of(user: str) -> str:
    """Okta's login (e-mail-like) for a short name; an e-mail stays as it is."""
    return user if "@" in user else f"{user}@{EMAIL_DOMAIN}"


def user_id(login: str) -> str:
    """A stable Okta-style user id (``00u`` + 17 characters) for a login."""
    return "00u" + hashlib.sha256(login.encode()).hexdigest()[:17]


def short_name(login: str) -> str:
    return login.split("@", 1)[0]


def demo_user(login: str) -> DemoUser | None:
    return DEMO_USERS.get(short_name(login)) if login.endswith("@" + EMAIL_DOMAIN) else None


def display_name(login: str) -> str:
    demo = demo_user(login)
    return demo.name if demo and demo.name else short_name(login).capitalize()


@dataclass(frozen=True)
class ConsoleClient:
    """The console's OIDC app: a public SPA client with PKCE and rotating refresh tokens."""

    client_id: str = CONSOLE_CLIENT_ID
    redirect_uris: tuple[str, ...] = tuple(
        origin + CONSOLE_CALLBACK_PATH for origin in DEFAULT_CONSOLE_ORIGINS
    )
    # okta-auth-js's signOut() defaults to window.location.origin, so the origins themselves.
    post_logout_redirect_uris: tuple[str, ...] = DEFAULT_CONSOLE_ORIGINS
    trusted_origins: tuple[str, ...] = DEFAULT_CONSOLE_ORIGINS
    name: str = "Xero Bridge console"

    @classmethod
    def for_origins(cls, origins: Iterable[str], **overrides: object) -> ConsoleClient:
        """The console served from `origins` (e.g. another Vite port), callback /login/callback."""
        listed = tuple(origin.rstrip("/") for origin in origins)
        fields: dict[str, object] = {
            "redirect_uris": tuple(origin + CONSOLE_CALLBACK_PATH for origin in listed),
            "post_logout_redirect_uris": listed,
            "trusted_origins": listed,
            **overrides,
        }
        return cls(**fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Lifetimes:
    """Token and session lifetimes in seconds (Okta's defaults; tests shorten them)."""

    access_token: int = 3600
    id_token: int = 3600
    authorization_code: int = 300  # Okta: "The code has a lifetime of 300 seconds."
    refresh_token_idle: int = 7 * 24 * 3600  # SPA default: expires if not used for 7 days
    refresh_grace: int = 30  # a rotated refresh token still works this long (Okta: 0 to 60)
    session: int = 2 * 3600  # Okta's default global session lifetime
    sign_in_request: int = 3600  # how long a shown sign-in form can still be submitted


@dataclass(frozen=True)
class AuthServerPolicy:
    """What the authorization server grants: known scopes and each demo user's API scopes."""

    api_scopes: tuple[str, ...] = API_SCOPES
    oidc_scopes: tuple[str, ...] = OIDC_SCOPES

    @property
    def scopes(self) -> tuple[str, ...]:
        return self.oidc_scopes + self.api_scopes

    def user(self, username: str) -> tuple[str, DemoUser] | None:
        """The (login, user) a sign-in name means: ``alice`` or ``alice@example.com``."""
        name = username.strip().lower()
        if name.endswith("@" + EMAIL_DOMAIN):
            name = short_name(name)
        demo = DEMO_USERS.get(name)
        return (login_of(name), demo) if demo else None

    def grantable(self, login: str, requested: Iterable[str]) -> tuple[str, ...]:
        """Requested OIDC scopes, plus requested API scopes the user's defaults allow."""
        demo = demo_user(login)
        allowed = set(demo.scopes) if demo else set()
        return tuple(scope for scope in requested if scope in self.oidc_scopes or scope in allowed)
