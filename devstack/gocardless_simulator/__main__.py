"""``python -m devstack.gocardless_simulator --port 3600``: run the simulator on its own."""

from __future__ import annotations

from devstack.sim_kit.entry import argument_parser, serve_until_stopped

from .config import GoCardlessConfig
from .server import GoCardlessSimulator


def main() -> None:
    defaults = GoCardlessConfig()
    parser = argument_parser("GoCardless sandbox simulator", 3600)
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
    serve_until_stopped(
        simulator,
        args,
        lambda url: (
            f"gocardless: {url}",
            f"  gocardless access token: {args.access_token}",
            f"  gocardless webhook secret: {args.webhook_secret}",
        ),
    )


if __name__ == "__main__":
    main()
