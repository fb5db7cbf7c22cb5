"""``python -m devstack.xero_simulator --port N``: run the simulator on its own."""

from __future__ import annotations

from devstack.sim_kit.entry import argument_parser, serve_until_stopped

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


def _lines(url: str) -> tuple[str, ...]:
    return (
        f"xero: {url}",
        f"client id: {DEMO_CLIENT_ID}",
        f"client secret: {DEMO_CLIENT_SECRET}",
        f"legacy client id (broad scopes allowed): {DEMO_LEGACY_CLIENT_ID}",
        f"legacy client secret: {DEMO_LEGACY_CLIENT_SECRET}",
        f"demo tenants: {DEMO_TENANT_A} {DEMO_TENANT_B}",
    )


def main() -> None:
    parser = argument_parser("Xero sandbox simulator", 0)
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--webhook-key", default=DEMO_WEBHOOK_KEY)
    args = parser.parse_args()
    config = SimulatorConfig(webhook_url=args.webhook_url, webhook_key=args.webhook_key)
    serve_until_stopped(XeroSimulator(config), args, _lines)


if __name__ == "__main__":
    main()
