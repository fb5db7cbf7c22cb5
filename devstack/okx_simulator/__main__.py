"""``python -m devstack.okx_simulator --port 3500``: run the OKX simulator on its own."""

from __future__ import annotations

import argparse
import os
import signal
import threading

from devstack import demo_data

from .server import OkxSimulator


def main() -> None:
    parser = argparse.ArgumentParser(description="OKX v5 REST simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("DEV_OKX_PORT") or 3500))
    args = parser.parse_args()
    simulator = OkxSimulator()
    url = simulator.start(host=args.host, port=args.port)
    print(f"okx: {url}", flush=True)
    print(f"  okx api key: {demo_data.OKX_API_KEY}", flush=True)
    for ccy, chain, address in demo_data.OKX_VERIFIED_ADDRESSES:
        print(f"  okx verified address: {ccy} {chain} {address}", flush=True)
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
