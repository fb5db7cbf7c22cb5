"""A stateful Solaris (Solarisbank) simulator: OAuth client credentials, Verification of
Payee, SEPA credit transfers with change requests and TANs, settlement over simulated time,
signed webhooks with retries, and fault injection, on one loopback URL.

    sim = SolarisSimulator(SolarisConfig(webhook_url="http://127.0.0.1:3000/webhooks/solaris"))
    url = sim.start(host="127.0.0.1", port=0)  # both the auth and the API base URL
"""

from .config import SolarisConfig
from .server import SolarisSimulator
from .webhooks import sign

__all__ = ["SolarisConfig", "SolarisSimulator", "sign"]
