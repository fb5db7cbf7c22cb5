"""A stateful OKX v5 REST simulator: signed requests, a funding account, crypto withdrawals
that move through OKX's states over simulated time, rate limits and fault injection.

    sim = OkxSimulator()            # config defaults to devstack/demo_data.py's OKX_*
    url = sim.start(host="127.0.0.1", port=0)
"""

from .config import (
    DEMO_TRADING_API_KEY,
    DEMO_TRADING_PASSPHRASE,
    DEMO_TRADING_SECRET_KEY,
    ChainSpec,
    Credential,
    Limit,
    OkxConfig,
)
from .server import OkxSimulator

__all__ = [
    "DEMO_TRADING_API_KEY",
    "DEMO_TRADING_PASSPHRASE",
    "DEMO_TRADING_SECRET_KEY",
    "ChainSpec",
    "Credential",
    "Limit",
    "OkxConfig",
    "OkxSimulator",
]
