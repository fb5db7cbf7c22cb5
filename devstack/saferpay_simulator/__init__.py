"""A Worldline Saferpay simulator: the JSON API's Payment Page interface (Initialize, Assert,
Capture, Cancel), its payment page, notifications, retries and fault injection, on one
loopback URL.

    sim = SaferpaySimulator(SaferpayConfig())
    url = sim.start(host="127.0.0.1", port=0)   # the product's base URL is f"{url}/api"
"""

from .config import CURRENT_SPEC_VERSION, SaferpayConfig
from .server import SaferpaySimulator

__all__ = ["CURRENT_SPEC_VERSION", "SaferpayConfig", "SaferpaySimulator"]
