"""The payment rails' simulators in the local stack: Solaris, OKX, GoCardless, Saferpay.

Each starts on its own `DEV_<NAME>_PORT` with the demo parties of `devstack/demo_data.py`;
the providers that call back (Solaris, GoCardless) send their signed webhooks to the
gateway. `make dev` prints `<name>: <url>` for each, and the few demo settings a person
needs to drive a flow by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from devstack import demo_data


@dataclass
class RailSimulator:
    name: str
    url: str
    stop: Callable[[], None]
    settings: dict[str, str] = field(default_factory=dict)


def start_solaris(port: int, api_url: str) -> RailSimulator:
    from devstack.solaris_simulator import SolarisConfig, SolarisSimulator

    simulator = SolarisSimulator(SolarisConfig(webhook_url=f"{api_url}/webhooks/solaris"))
    url = simulator.start(host="127.0.0.1", port=port)
    return RailSimulator(
        "solaris", url, simulator.stop, {"solaris tan": demo_data.SOLARIS_STATIC_TAN}
    )


def start_okx(port: int, api_url: str) -> RailSimulator:
    from devstack.okx_simulator import OkxSimulator

    simulator = OkxSimulator()
    url = simulator.start(host="127.0.0.1", port=port)
    address = demo_data.OKX_VERIFIED_ADDRESSES[0]
    return RailSimulator("okx", url, simulator.stop, {"okx verified address": " ".join(address)})


def start_gocardless(port: int, api_url: str) -> RailSimulator:
    from devstack.gocardless_simulator import GoCardlessConfig, GoCardlessSimulator

    config = GoCardlessConfig(webhook_url=f"{api_url}/webhooks/gocardless")
    simulator = GoCardlessSimulator(config)
    url = simulator.start(host="127.0.0.1", port=port)
    scenarios = ", ".join(demo_data.GOCARDLESS_SCENARIOS)
    return RailSimulator("gocardless", url, simulator.stop, {"gocardless scenarios": scenarios})


def start_saferpay(port: int, api_url: str) -> RailSimulator:
    from devstack.saferpay_simulator import SaferpaySimulator

    simulator = SaferpaySimulator()
    url = simulator.start(host="127.0.0.1", port=port)
    cards = (
        f"{demo_data.SAFERPAY_CARD_SUCCESS} (pays), {demo_data.SAFERPAY_CARD_AUTH_FAILS} (fails)"
    )
    return RailSimulator("saferpay", url, simulator.stop, {"saferpay test cards": cards})


STARTERS: dict[str, Callable[[int, str], RailSimulator]] = {
    "solaris": start_solaris,
    "okx": start_okx,
    "gocardless": start_gocardless,
    "saferpay": start_saferpay,
}
