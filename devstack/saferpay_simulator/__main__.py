"""``python -m devstack.saferpay_simulator --port 3700``: run the simulator on its own."""

from __future__ import annotations

import argparse
import signal
import threading

from .config import SaferpayConfig
from .server import SaferpaySimulator


def main() -> None:
    parser = argparse.ArgumentParser(description="Worldline Saferpay simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    config = SaferpayConfig()
    # The handler goes in before the URL is printed: whoever reads it may stop us at once.
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    simulator = SaferpaySimulator(config)
    url = simulator.start(host=args.host, port=args.port)
    print(f"saferpay: {url}", flush=True)
    print(f"  saferpay api: {url}/api", flush=True)
    print(f"  saferpay customer id: {config.customer_id}", flush=True)
    print(f"  saferpay terminal id: {', '.join(config.terminal_ids)}", flush=True)
    print(f"  saferpay api user: {config.api_user}", flush=True)
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()


if __name__ == "__main__":
    main()
