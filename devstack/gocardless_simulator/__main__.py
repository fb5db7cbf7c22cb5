"""``python -m devstack.gocardless_simulator --port 3600``: run the simulator on its own."""

from __future__ import annotations

import argparse
import signal
import threading

from .config import GoCardlessConfig
from .server import GoCardlessSimulator


def main() -> None:
    defaults = GoCardlessConfig()
    parser = argparse.ArgumentParser(description="GoCardless sandbox simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3600)
    parser.add_argument(
        "--webhook-url", default=None, help="the product's POST /webhooks/gocardless"
    )
    parser.add_argument("--webhook-secret", default=defaults.webhook_secret)
    parser.add_argument("--access-token", default=defaults.access_token)
    args = parser.parse_args()
    simulator = GoCardlessSimulator(
        GoCardlessConfig(
            access_token=args.access_token,
            webhook_secret=args.webhook_secret,
            webhook_url=args.webhook_url,
        )
    )
    url = simulator.start(host=args.host, port=args.port)
    print(f"gocardless: {url}", flush=True)
    print(f"  gocardless access token: {args.access_token}", flush=True)
    print(f"  gocardless webhook secret: {args.webhook_secret}", flush=True)
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
