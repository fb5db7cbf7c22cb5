"""``python -m devstack.xero_simulator --port N``: run the simulator on its own."""

from __future__ import annotations

import argparse
import signal
import threading

from .config import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_LEGACY_CLIENT_ID,
    DEMO_LEGACY_CLIENT_SECRET,
    DEMO_TENANT_A,
    DEMO_TENANT_B,
    DEMO_WEBHOOK_KEY,
    SimulatorConfig,
)
from .server import XeroSimulator


def main() -> None:
    parser = argparse.ArgumentParser(description="Xero sandbox simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--webhook-key", default=DEMO_WEBHOOK_KEY)
    args = parser.parse_args()
    simulator = XeroSimulator(
        SimulatorConfig(webhook_url=args.webhook_url, webhook_key=args.webhook_key)
    )
    url = simulator.start(host=args.host, port=args.port)
    print(f"xero: {url}", flush=True)
    print(f"client id: {DEMO_CLIENT_ID}", flush=True)
    print(f"client secret: {DEMO_CLIENT_SECRET}", flush=True)
    print(f"legacy client id (broad scopes allowed): {DEMO_LEGACY_CLIENT_ID}", flush=True)
    print(f"legacy client secret: {DEMO_LEGACY_CLIENT_SECRET}", flush=True)
    print(f"demo tenants: {DEMO_TENANT_A} {DEMO_TENANT_B}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()


if __name__ == "__main__":
    main()
