"""The development Okta issuer, kept importable under its first name.

Everything lives in the package ``devstack.okta`` (see its docstring and directory.py for the
demo users, their passwords and the console client); this module re-exports it so
``from devstack.okta_issuer import DevOktaIssuer`` keeps working.
"""

from devstack.okta import (
    AUTH_SERVER_PATH,
    CONSOLE_CLIENT_ID,
    DEFAULT_AUDIENCE,
    DEFAULT_CONSOLE_ORIGINS,
    DEMO_PASSWORDS,
    DEMO_USERS,
    DEV_CLIENT_ID,
    EMAIL_DOMAIN,
    ISSUER_FILE,
    KEYS_FILE,
    AuthServerPolicy,
    Clock,
    ConsoleClient,
    DemoUser,
    DevOktaIssuer,
    KeyStore,
    Lifetimes,
    SigningKey,
    at_hash,
    demo_users_line,
)

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
