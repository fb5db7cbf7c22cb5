"""The development Okta issuer: a custom authorization server (``/oauth2/default``) on
loopback that okta-auth-js signs in against unchanged, and that mints tokens for `make token`.

    issuer = DevOktaIssuer(state_dir, port=0)   # console: ConsoleClient(), lifetimes: Lifetimes()
    issuer.start()                              # -> http://127.0.0.1:<port>/oauth2/default

Endpoints (under the issuer): ``/.well-known/openid-configuration`` and
``/.well-known/oauth-authorization-server``, ``/v1/keys``, ``/v1/authorize`` (with the
sign-in form, which posts to ``<base>/login/signin``), ``/v1/token``, ``/v1/userinfo``,
``/v1/revoke``, ``/v1/introspect``, ``/v1/logout``. See directory.py for the demo users,
passwords and the console client.
"""

from devstack.sim_kit.clock import SimClock as Clock

from .directory import (
    AUTH_SERVER_PATH,
    CONSOLE_CLIENT_ID,
    DEFAULT_AUDIENCE,
    DEFAULT_CONSOLE_ORIGINS,
    DEMO_PASSWORDS,
    DEMO_USERS,
    DEV_CLIENT_ID,
    EMAIL_DOMAIN,
    AuthServerPolicy,
    ConsoleClient,
    DemoUser,
    Lifetimes,
    demo_users_line,
)
from .issuer import ISSUER_FILE, DevOktaIssuer
from .keys import KEYS_FILE, KeyStore, SigningKey
from .tokens import at_hash

__all__ = [
    "AUTH_SERVER_PATH",
    "CONSOLE_CLIENT_ID",
    "DEFAULT_AUDIENCE",
    "DEFAULT_CONSOLE_ORIGINS",
    "DEMO_PASSWORDS",
    "DEMO_USERS",
    "DEV_CLIENT_ID",
    "EMAIL_DOMAIN",
    "ISSUER_FILE",
    "KEYS_FILE",
    "AuthServerPolicy",
    "Clock",
    "ConsoleClient",
    "DemoUser",
    "DevOktaIssuer",
    "KeyStore",
    "Lifetimes",
    "SigningKey",
    "at_hash",
    "demo_users_line",
]
