"""``python -m devstack.solaris_simulator --port 3400``: run the simulator on its own."""

from __future__ import annotations

from devstack.sim_kit.entry import argument_parser, serve_until_stopped

from .config import SolarisConfig
from .server import SolarisSimulator


def main() -> None:
    defaults = SolarisConfig()
    parser = argument_parser("Solaris (Solarisbank) simulator", 3400)
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
    serve_until_stopped(
        SolarisSimulator(config),
        args,
        lambda url: (
            f"solaris: {url}",
            f"  solaris client id: {config.client_id}",
            f"  solaris person id: {config.person_id}",
            f"  solaris account id: {config.account_id}",
            f"  solaris tan: {config.static_tan}",
        ),
    )


if __name__ == "__main__":
    main()
