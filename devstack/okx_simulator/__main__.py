"""``python -m devstack.okx_simulator --port 3500``: run the OKX simulator on its own."""

from __future__ import annotations

import os

from devstack import demo_data
from devstack.sim_kit.entry import argument_parser, serve_until_stopped

from .server import OkxSimulator


def _lines(url: str) -> list[str]:
    return [
        f"okx: {url}",
        f"  okx api key: {demo_data.OKX_API_KEY}",
        *(
            f"  okx verified address: {ccy} {chain} {address}"
            for ccy, chain, address in demo_data.OKX_VERIFIED_ADDRESSES
        ),
    ]


def main() -> None:
    parser = argument_parser("OKX v5 REST simulator", int(os.environ.get("DEV_OKX_PORT") or 3500))
    serve_until_stopped(OkxSimulator(), parser.parse_args(), _lines)


if __name__ == "__main__":
    main()
