"""``python -m devstack.saferpay_simulator --port 3700``: run the simulator on its own."""

from __future__ import annotations

from devstack.sim_kit.entry import argument_parser, serve_until_stopped

from .config import SaferpayConfig
from .server import SaferpaySimulator


def main() -> None:
    args = argument_parser("Worldline Saferpay simulator", 0).parse_args()
    config = SaferpayConfig()
    serve_until_stopped(
        SaferpaySimulator(config),
        args,
        lambda url: (
            f"saferpay: {url}",
            f"  saferpay api: {url}/api",
            f"  saferpay customer id: {config.customer_id}",
            f"  saferpay terminal id: {', '.join(config.terminal_ids)}",
            f"  saferpay api user: {config.api_user}",
        ),
    )


if __name__ == "__main__":
    main()
