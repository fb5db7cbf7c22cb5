"""`make token`: print a dev Okta access token for the running local stack, and nothing else.

    python -m devstack.token --user alice --scopes "payments:write ask" --groups "finance"

The token is signed with the keys in ``<state>/okta/keys.json`` and carries the issuer URL the
running stack wrote to ``<state>/okta/issuer.json`` (``<state>`` is ``$DEVSTACK_STATE_DIR``, else
``.devstack`` in the checkout). Empty --scopes/--groups mean the demo user's defaults (see
devstack/okta_issuer.py); ``--scopes none`` means no scopes at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.request
from pathlib import Path

from devstack.okta_issuer import DEMO_USERS, DevOktaIssuer

ROOT = Path(__file__).resolve().parent.parent


def state_dir() -> Path:
    return Path(os.environ.get("DEVSTACK_STATE_DIR") or ROOT / ".devstack") / "okta"


def _listed(value: str | None) -> list[str] | None:
    if value is None or not value.strip():
        return None  # the demo user's defaults
    if value.strip().lower() == "none":
        return []
    return value.replace(",", " ").split()


def _answers(issuer: str) -> bool:
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{issuer}/.well-known/openid-configuration", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print a dev Okta access token.")
    parser.add_argument("--user", default="alice", help=f"demo users: {', '.join(DEMO_USERS)}")
    parser.add_argument("--scopes", default=None, help='space-separated, e.g. "payments:write ask"')
    parser.add_argument("--groups", default=None, help='space-separated, e.g. "finance"')
    parser.add_argument("--email", default=None)
    parser.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    parser.add_argument("--state-dir", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    folder = args.state_dir or state_dir()
    try:
        issuer = DevOktaIssuer.from_state(folder)
    except FileNotFoundError:
        print(
            f"error: no running dev Okta issuer found in {folder}; start the stack with `make dev`"
            " (with OKTA_ISSUER set, tokens come from your Okta, not from here)",
            file=sys.stderr,
        )
        return 1
    if not _answers(issuer.issuer):
        print(f"warning: {issuer.issuer} does not answer; is `make dev` running?", file=sys.stderr)
    token = issuer.mint(
        user=args.user.strip() or "alice",
        scopes=_listed(args.scopes),
        groups=_listed(args.groups),
        email=args.email,
        ttl=args.ttl,
    )
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
