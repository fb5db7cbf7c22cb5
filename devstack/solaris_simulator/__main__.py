"""``python -m devstack.solaris_simulator --port 3400``: run the simulator on its own."""

from __future__ import annotations

import argparse
import signal
import threading

from .config import SolarisConfig
from .server import SolarisSimulator


def main() -> None:
    defaults = SolarisConfig()
    parser = argparse.ArgumentParser(description="Solaris (Solarisbank) simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3400)
    parser.add_argument("--webhook-url", default=None, help="the product's POST /webhooks/solaris")
    parser.add_argument("--webhook-secret", default=defaults.webhook_secret)
    parser.add_argument(
        "--execution-delay", type=float, default=defaults.execution_delay,
        help="seconds from accepted to executed",
    )  # fmt: skip
    args = parser.parse_args()
    config = SolarisConfig(
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        execution_delay=args.execution_delay,
    )
    simulator = SolarisSimulator(config)
    url = simulator.start(host=args.host, port=args.port)
    print(f"solaris: {url}", flush=True)
    print(f"  solaris client id: {config.client_id}", flush=True)
    print(f"  solaris person id: {config.person_id}", flush=True)
    print(f"  solaris account id: {config.account_id}", flush=True)
    print(f"  solaris tan: {config.static_tan}", flush=True)
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
