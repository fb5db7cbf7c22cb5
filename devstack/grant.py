"""`make grant`: an administrator's grant of organisations to a user, in the running local stack.

    python -m devstack.grant --user bob --tenants "<tenant id> <tenant id>" [--aws URL]

The product grants a tenant to whoever connects it; anyone else (an approver who does not
connect Xero) reaches it through an administrator's grant (``via="admin"``), which has no API
route yet. This writes that grant into the local stack's Grants table, as an administrator
would, so an approver can sign in to the console and see the payments waiting for them.
"""

from __future__ import annotations

import argparse
import os
import sys

from devstack.aws import aws_environment

GRANTS_TABLE = "GrantsTable"  # the local stack names each table by its logical id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grant organisations to a user (local stack).")
    parser.add_argument("--user", required=True, help="a demo user (bob) or an Okta login")
    parser.add_argument("--tenants", required=True, help="space- or comma-separated tenant ids")
    parser.add_argument("--by", default="carol", help="the administrator who grants")
    default_aws = f"http://127.0.0.1:{os.environ.get('DEV_AWS_PORT', '4566')}"
    parser.add_argument("--aws", default=default_aws, help="the stack's aws: URL")
    args = parser.parse_args(argv)

    os.environ.update(aws_environment(args.aws))
    os.environ["GRANTS_TABLE"] = GRANTS_TABLE
    from devstack.okta.directory import login_of
    from xero_bridge.persistence import grants

    tenants = args.tenants.replace(",", " ").split()
    for tenant in tenants:
        grants.grant(login_of(args.user), tenant, granted_by=login_of(args.by), via="admin")
    print(f"granted {login_of(args.user)}: {' '.join(tenants)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
