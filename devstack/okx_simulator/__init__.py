"""A stateful OKX v5 REST simulator: signed requests, a funding account, crypto withdrawals
that move through OKX's states over simulated time, rate limits and fault injection.

    sim = OkxSimulator()            # config defaults to devstack/demo_data.py's OKX_*
    url = sim.start(host="127.0.0.1", port=0)

Endpoints (OKX v5): GET /api/v5/public/time, GET /api/v5/market/ticker (public, unsigned);
GET /api/v5/asset/currencies, GET /api/v5/asset/balances, POST /api/v5/asset/withdrawal,
POST /api/v5/asset/cancel-withdrawal, GET /api/v5/asset/withdrawal-history (signed).
Control: /_sim/... (see control.py).
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
