"""A stateful GoCardless sandbox simulator: customers, bank accounts, mandates, billing
requests and their hosted page, payments, refunds, events, scenario customers, signed and
retried webhooks and fault injection, on one loopback URL that the `gocardless-pro` SDK
takes as its base_url.

    sim = GoCardlessSimulator(GoCardlessConfig(webhook_url=...))
    url = sim.start(host="127.0.0.1", port=0)
    client = gocardless_pro.Client(access_token=sim.config.access_token, base_url=url)
"""

from .config import API_VERSION, GoCardlessConfig
from .server import GoCardlessSimulator
from .webhooks import sign

__all__ = ["API_VERSION", "GoCardlessConfig", "GoCardlessSimulator", "sign"]
