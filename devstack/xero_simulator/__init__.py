"""A stateful Xero sandbox simulator: identity, connections, an Accounting API subset,
rate limits, signed webhooks and fault injection, on one loopback URL.

    sim = XeroSimulator(SimulatorConfig())
    url = sim.start(host="127.0.0.1", port=0)
"""

from .config import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_CUSTOM_CLIENT_ID,
    DEMO_CUSTOM_CLIENT_SECRET,
    DEMO_LEGACY_CLIENT_ID,
    DEMO_LEGACY_CLIENT_SECRET,
    DEMO_TENANT_A,
    DEMO_TENANT_B,
    DEMO_USER_ID,
    DEMO_WEBHOOK_KEY,
    SimulatorConfig,
)
from .server import XeroSimulator

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_CUSTOM_CLIENT_ID",
    "DEMO_CUSTOM_CLIENT_SECRET",
    "DEMO_LEGACY_CLIENT_ID",
    "DEMO_LEGACY_CLIENT_SECRET",
    "DEMO_TENANT_A",
    "DEMO_TENANT_B",
    "DEMO_USER_ID",
    "DEMO_WEBHOOK_KEY",
    "SimulatorConfig",
    "XeroSimulator",
]
