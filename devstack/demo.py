"""The local stack's demo settings, and the switch to real services.

With XERO_CLIENT_ID set, the stack talks to the real Xero instead of the simulator; with
OKTA_ISSUER set, to the real Okta instead of the dev issuer; OPENAI_BASE_URL and
OPENAI_API_KEY are passed to the functions as the openai SDK names them.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Published in the README so anyone can sign a webhook by hand against `make dev`.
DEMO_WEBHOOK_KEY = "demo-webhook-key-for-local-development-only"
DEMO_AUDIENCE = "api://xero-bridge"
DEMO_SCOPES = "xero:connect payments:write payments:approve ask records:read records:write"


@dataclass
class XeroEndpoints:
    identity_url: str
    api_url: str
    url: str | None = None  # the simulator's URL, when it runs
    stop: Callable[[], None] | None = None
    client_id: str = ""
    client_secret: str = ""
    tenants: tuple[str, ...] = ()


@dataclass
class OktaEndpoints:
    issuer: str
    audience: str
    url: str | None = None
    stop: Callable[[], None] | None = None
    mint: Callable[..., str] | None = None


def available(module: str) -> bool:
    """Whether a part of the local stack is installed in this checkout."""
    return importlib.util.find_spec(module) is not None


def start_xero(port: int, webhook_url: str) -> XeroEndpoints:
    if os.environ.get("XERO_CLIENT_ID") or not available("devstack.xero_simulator"):
        return XeroEndpoints("https://identity.xero.com", "https://api.xero.com")
    from devstack.xero_simulator import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DEMO_TENANT_A,
        DEMO_TENANT_B,
        SimulatorConfig,
        XeroSimulator,
    )

    simulator = XeroSimulator(
        SimulatorConfig(
            webhook_url=webhook_url, webhook_key=DEMO_WEBHOOK_KEY, **xero_limit_overrides()
        )
    )
    url = simulator.start(host="127.0.0.1", port=port)
    return XeroEndpoints(
        identity_url=url,
        api_url=url,
        url=url,
        stop=simulator.stop,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        tenants=(DEMO_TENANT_A, DEMO_TENANT_B),
    )


def start_okta(port: int, state_dir: Path, console_origins: tuple[str, ...] = ()) -> OktaEndpoints:
    if os.environ.get("OKTA_ISSUER") or not available("devstack.okta_issuer"):
        return OktaEndpoints(
            os.environ.get("OKTA_ISSUER", "https://example.okta.com/oauth2/default"),
            os.environ.get("OKTA_AUDIENCE", DEMO_AUDIENCE),
        )
    from devstack.okta_issuer import ConsoleClient, DevOktaIssuer

    # The console's SPA app: its sign-in callbacks and trusted origins are the console's origins.
    console = ConsoleClient.for_origins(console_origins) if console_origins else None
    issuer = DevOktaIssuer(state_dir, port=port, console=console)
    issuer_url = issuer.start()
    base = issuer_url.split("/oauth2/")[0]
    return OktaEndpoints(issuer_url, issuer.audience, base, issuer.stop, issuer.mint)


@dataclass
class OpenAiEndpoint:
    base_url: str | None  # None: the template's default (the real OpenAI)
    api_key: str
    url: str | None = None  # the fake server's URL, when it runs
    stop: Callable[[], None] | None = None


def start_openai(port: int) -> OpenAiEndpoint:
    """The real endpoint when OPENAI_BASE_URL is set, else the fake one on loopback."""
    if os.environ.get("OPENAI_BASE_URL") or not available("devstack.fake_openai"):
        return OpenAiEndpoint(
            os.environ.get("OPENAI_BASE_URL"), os.environ.get("OPENAI_API_KEY", "")
        )
    from devstack.fake_openai import FakeOpenAI

    fake = FakeOpenAI()
    url = fake.start(host="127.0.0.1", port=port)
    return OpenAiEndpoint(url, fake.api_key or "", url=url, stop=fake.stop)


def secret_values(openai_api_key: str = "") -> dict[str, str]:
    """The app secret's content for the local stack."""
    if os.environ.get("XERO_CLIENT_ID") or not available("devstack.xero_simulator"):
        xero_id = os.environ.get("XERO_CLIENT_ID", "")
        xero_secret = os.environ.get("XERO_CLIENT_SECRET", "")
        webhook_key = os.environ.get("XERO_WEBHOOK_KEY", "")
    else:
        from devstack.xero_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

        xero_id, xero_secret, webhook_key = DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_WEBHOOK_KEY
    values = {
        "xero_client_id": xero_id,
        "xero_client_secret": xero_secret,
        "xero_webhook_key": webhook_key,
        "openai_api_key": openai_api_key or os.environ.get("OPENAI_API_KEY", ""),
    }
    for rail in RAIL_SECRETS:
        values.update(rail_secret_values(rail))
    return values


# Each rail's keys of the app secret, and the variable that switches the rail to a real
# (sandbox or test) account: with it set, key "<rail>_<key>" comes from <RAIL>_<KEY> in the
# environment; otherwise from the simulator's demo account, devstack.demo_data.<RAIL>_<KEY>.
RAIL_SECRETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "solaris": (
        "SOLARIS_CLIENT_ID",
        ("client_id", "client_secret", "account_id", "person_id", "webhook_secret"),
    ),
    # a real test account also wants SAFERPAY_API_URL (saferpay_parameters)
    "saferpay": ("SAFERPAY_API_USER", ("customer_id", "terminal_id", "api_user", "api_password")),
    # the demo key is a live one, not a demo-trading one: demo trading has no withdrawals
    "okx": ("OKX_API_KEY", ("api_key", "secret_key", "passphrase")),
    "gocardless": ("GOCARDLESS_ACCESS_TOKEN", ("access_token", "webhook_secret")),
}


def rail_secret_values(rail: str) -> dict[str, str]:
    """`rail`'s keys of the app secret, as `RAIL_SECRETS` says where they come from."""
    switch, keys = RAIL_SECRETS[rail]
    sources = {f"{rail}_{key}": f"{rail.upper()}_{key.upper()}" for key in keys}
    if os.environ.get(switch):
        return {key: os.environ.get(variable, "") for key, variable in sources.items()}
    from devstack import demo_data

    return {key: str(getattr(demo_data, name)) for key, name in sources.items()}


def solaris_parameters(solaris_url: str | None) -> dict[str, str]:
    """The template parameters that point the product at the Solaris simulator (its one port
    serves the auth and the API host), with the sandbox's static TAN and the demo
    organisations' EUR bank account as the clearing account."""
    if os.environ.get("SOLARIS_CLIENT_ID") or not solaris_url:
        return {}
    from devstack.xero_simulator.seed_rails import A_EUR_BANK_ACCOUNT_CODE

    return {
        "SolarisAuthUrl": solaris_url,
        "SolarisApiUrl": solaris_url,
        "SolarisTanDelivery": "static",
        "SolarisXeroAccountCode": A_EUR_BANK_ACCOUNT_CODE,
    }


def saferpay_parameters(saferpay_url: str | None) -> dict[str, str]:
    """The template parameters that point the product at the Saferpay simulator (its JSON API
    is under /api, as Saferpay's), with the demo organisation's card clearing account."""
    parameters: dict[str, str] = {}
    if os.environ.get("SAFERPAY_API_URL"):
        parameters["SaferpayApiUrl"] = os.environ["SAFERPAY_API_URL"]
    elif saferpay_url:
        parameters["SaferpayApiUrl"] = f"{saferpay_url}/api"
    if available("devstack.xero_simulator") and not os.environ.get("XERO_CLIENT_ID"):
        from devstack.xero_simulator.seed_cards import A_CARD_CLEARING_ACCOUNT_CODE

        parameters["SaferpayXeroAccountCode"] = A_CARD_CLEARING_ACCOUNT_CODE
    return parameters


def okx_parameters(okx_url: str | None) -> dict[str, str]:
    """The template parameters that point the product at the OKX simulator, with the demo
    organisation's USD clearing account and fee account, and withdrawals polled every run."""
    if os.environ.get("OKX_API_KEY") or not okx_url:
        return {}
    from devstack.xero_simulator.seed_rails import A_OKX_BANK_ACCOUNT_CODE, A_OKX_FEE_ACCOUNT_CODE

    return {
        "OkxApiUrl": okx_url,
        "OkxXeroAccountCode": A_OKX_BANK_ACCOUNT_CODE,
        "OkxXeroFeeAccountCode": A_OKX_FEE_ACCOUNT_CODE,
        "OkxPollAfterSeconds": "0",
    }


def gocardless_parameters(gocardless_url: str | None) -> dict[str, str]:
    """The template parameters that point the product at the GoCardless simulator (served at
    its host root, as the SDK wants), with the demo organisation's GoCardless EUR account as
    the clearing account."""
    if os.environ.get("GOCARDLESS_ACCESS_TOKEN") or not gocardless_url:
        return {}
    from devstack.xero_simulator.seed_direct_debit import A_GOCARDLESS_ACCOUNT_CODE

    return {
        "GoCardlessApiUrl": gocardless_url,
        "GoCardlessXeroAccountCode": A_GOCARDLESS_ACCOUNT_CODE,
    }


# DEV_XERO_<LIMIT> raises (or lowers) one of Xero's limits in the simulator and in the
# product's call budget alike, e.g. for a fuzzing run that should reach the handlers.
XERO_LIMITS = {
    "MINUTE_LIMIT": "minute_limit",
    "DAY_LIMIT": "day_limit",
    "CONCURRENT_LIMIT": "concurrent_limit",
    "APP_MINUTE_LIMIT": "app_minute_limit",
}


def xero_limit_overrides() -> dict[str, int]:
    return {
        field: int(os.environ[f"DEV_XERO_{name}"])
        for name, field in XERO_LIMITS.items()
        if os.environ.get(f"DEV_XERO_{name}")
    }


def passthrough_environment() -> dict[str, str]:
    passed = {name: os.environ[name] for name in ("OPENAI_MODEL",) if os.environ.get(name)}
    for name in XERO_LIMITS:
        if os.environ.get(f"DEV_XERO_{name}"):
            passed[f"XERO_{name}"] = os.environ[f"DEV_XERO_{name}"]
    return passed


def printed_settings(xero: XeroEndpoints, okta: OktaEndpoints) -> dict[str, str]:
    """What `make dev` prints under the URLs, so a person can drive a flow by hand."""
    settings = {"okta issuer": okta.issuer, "okta audience": okta.audience}
    if xero.url:
        settings["xero client id"] = xero.client_id
        settings["xero client secret"] = xero.client_secret  # the simulator's demo client
        settings["webhook key"] = DEMO_WEBHOOK_KEY
        settings["demo tenants"] = " ".join(xero.tenants)
        from devstack.xero_simulator.seed_rails import A_EUR_BANK_ACCOUNT_CODE, EUR_BILLS

        bills = ", ".join(f"{number} ({kind})" for kind, (_, number, _) in EUR_BILLS.items())
        settings["eur bills"] = bills
        settings["solaris clearing account"] = A_EUR_BANK_ACCOUNT_CODE
        from devstack.xero_simulator.seed_cards import CARD_INVOICES

        cards = ", ".join(f"{number} ({kind})" for kind, (_, number, _, _) in CARD_INVOICES.items())
        settings["card invoices"] = cards
        from devstack.xero_simulator import seed_rails

        usd = ", ".join(f"{n} ({kind})" for kind, (_, n, _) in seed_rails.USD_BILLS.items())
        settings["usd bills"] = f"{usd}, from {seed_rails.OKX_SUPPLIER_NAME}"
        settings["okx clearing account"] = seed_rails.A_OKX_BANK_ACCOUNT_CODE
        settings["okx fee account"] = seed_rails.A_OKX_FEE_ACCOUNT_CODE
        from devstack.xero_simulator.seed_direct_debit import (
            A_GOCARDLESS_ACCOUNT_CODE,
            CUSTOMERS,
            EUR_INVOICES,
        )

        invoices = ", ".join(f"{number} ({kind})" for kind, (_, number, _) in EUR_INVOICES.items())
        settings["direct debit invoices"] = invoices
        settings["direct debit customers"] = ", ".join(
            f"{c.name} ({c.contact_id})" for c in CUSTOMERS.values()
        )
        settings["gocardless clearing account"] = A_GOCARDLESS_ACCOUNT_CODE
    if okta.mint:
        from devstack.okta import CONSOLE_CLIENT_ID, demo_users_line

        settings["okta users"] = demo_users_line()
        settings["okta client id"] = CONSOLE_CLIENT_ID
        settings["demo token (alice)"] = okta.mint(
            user="alice", scopes=DEMO_SCOPES.split(), groups=["finance"]
        )
    return settings
