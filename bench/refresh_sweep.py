"""The token refresh sweep: connections refreshed per second, DynamoDB reads per connection.

Seeds N due token sets (access tokens expiring within the sweep's window) and N that are not
due, in moto (in-process, provisioned from template.yaml), with refresh tokens the Xero
simulator really issued; then runs one sweep (`xero_bridge.connections.refresh.sweep`, the
token refresh function's logic: the due-index queries, 8 refresh threads, each refresh a
real token call to the simulator over loopback and a versioned write).

Every DynamoDB call is counted with a botocore `before-call.dynamodb.*` hook on the product's
client, and the keys read are checked against the not-due sets: they must cost nothing.

Seeding shares one refresh token per 500 sets: inside Xero's 30-minute grace period a
refresh token may be used again (the simulator enforces it like Xero), so every refresh is
still a real, accepted token call; it only saves seeding thousands of consents.

    .venv/bin/python bench/refresh_sweep.py [--connections 3000] [--concurrency 8]

The default (3,000 due + 3,000 not due) runs in about a minute; `--connections 10000` is the
issue's figure and takes about four. Throughput here is bound by moto and the simulator
running in this one Python process (every moto call holds one lock, ~3 ms each): it measures
the sweep's shape and cost per connection (reads, writes, no scan), not DynamoDB's speed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

from moto import mock_aws  # noqa: E402

from devstack.aws import Provisioner, make_moto_atomic  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402

READS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}
SETS_PER_REFRESH_TOKEN = 500


def _environment() -> None:
    from bench._environment import offline_aws_environment

    offline_aws_environment()


def _reset_caches() -> None:
    from aws_lambda_powertools.utilities import parameters

    from xero_bridge.persistence.dynamodb import reset_clients
    from xero_bridge.settings import get_settings
    from xero_bridge.xero.identity import reset_identity_caches

    get_settings.cache_clear()
    reset_clients()
    parameters.clear_caches()
    reset_identity_caches()


def _start_simulator() -> Any:
    from devstack.xero_simulator import XeroSimulator

    sim = XeroSimulator()
    sim.start(host="127.0.0.1", port=0)
    return sim


def _refresh_tokens(sim: Any, count: int, redirect_uri: str) -> list[str]:
    """`count` refresh tokens the simulator issued (one consent each, exchanged by the product's
    own identity client)."""
    from devstack.xero_simulator import DEMO_TENANT_A
    from xero_bridge.xero.identity import app_identity

    identity = app_identity()
    tokens = []
    for _ in range(count):
        code = sim.issue_authorization_code([DEMO_TENANT_A], redirect_uri)
        response = identity.exchange_code(code=code, code_verifier="", redirect_uri=redirect_uri)
        assert response.refresh_token is not None
        tokens.append(response.refresh_token.get_secret_value())
    return tokens


def _seed(due: int, not_due: int, refresh_tokens: list[str]) -> tuple[set[str], set[str]]:
    from xero_bridge.persistence import token_sets
    from xero_bridge.persistence.dynamodb import table
    from xero_bridge.settings import get_settings
    from xero_bridge.xero.tokens import refresh_due_at

    settings = get_settings()
    now = int(time.time())
    due_ids: set[str] = set()
    idle_ids: set[str] = set()
    with table(settings.required("tokens_table")).batch_writer() as batch:
        for index in range(due + not_due):
            is_due = index < due
            token_set_id = uuid.uuid4().hex
            expires = now + (120 if is_due else 1800)
            token_set = token_sets.TokenSet(
                token_set_id=token_set_id,
                access_token="bench-access-token-" + token_set_id,  # type: ignore[arg-type]
                refresh_token=refresh_tokens[index // SETS_PER_REFRESH_TOKEN % len(refresh_tokens)],  # type: ignore[arg-type]
                access_expires_at=expires,
                refresh_token_issued_at=now,
                connected_by="bench",
                refresh_due_at=refresh_due_at(
                    "authorization_code",
                    expires,
                    now,
                    settings.xero_refresh_margin_seconds,
                    settings.refresh_token_max_age_days,
                ),
            )
            batch.put_item(Item=token_sets._to_item(token_set, 1))
            (due_ids if is_due else idle_ids).add(token_set_id)
    return due_ids, idle_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--connections", type=int, default=3_000, help="due connections (10000 takes ~4 min)"
    )
    parser.add_argument("--not-due", type=int, default=None, help="default: as many as due")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    not_due = args.connections if args.not_due is None else args.not_due

    _environment()
    make_moto_atomic()
    sim = _start_simulator()
    try:
        with mock_aws():
            from devstack.xero_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

            template = SamTemplate()
            secret = {"xero_client_id": DEMO_CLIENT_ID, "xero_client_secret": DEMO_CLIENT_SECRET}
            physical = Provisioner(template, secret).provision()
            for function_id in template.functions():
                os.environ.update(template.function_environment(function_id, physical, {}, {}))
            os.environ.pop("POWERTOOLS_SERVICE_NAME", None)
            os.environ.update(
                {
                    "POWERTOOLS_LOG_LEVEL": "WARNING",
                    "XERO_IDENTITY_URL": sim.url,
                    "XERO_API_URL": sim.url,
                    "TOKEN_REFRESH_BATCH_LIMIT": str(args.connections),
                }
            )
            _reset_caches()
            from xero_bridge.observability import logger

            logger.setLevel("WARNING")

            started = time.perf_counter()
            redirect_uri = "http://127.0.0.1:3000/xero/callback"
            count = max(1, -(-args.connections // SETS_PER_REFRESH_TOKEN))
            refresh_tokens = _refresh_tokens(sim, count, redirect_uri)
            due_ids, idle_ids = _seed(args.connections, not_due, refresh_tokens)
            seeded = time.perf_counter() - started

            from xero_bridge.connections.refresh import sweep
            from xero_bridge.persistence.dynamodb import dynamodb_resource
            from xero_bridge.xero.tokens import TokenManager

            calls: Counter[str] = Counter()
            keys_read: set[str] = set()
            lock = threading.Lock()

            def count_call(params: dict[str, Any], model: Any, **kwargs: Any) -> None:
                body = json.loads(params.get("body") or "{}")
                with lock:
                    calls[model.name] += 1
                    if model.name == "GetItem":
                        keys_read.add(next(iter(body["Key"].values()))["S"])

            client = dynamodb_resource().meta.client
            client.meta.events.register("before-call.dynamodb.*", count_call)
            manager = TokenManager(publish=lambda *a: None)
            t0 = time.perf_counter()
            result = sweep(concurrency=args.concurrency, manager=manager)
            elapsed = time.perf_counter() - t0
            client.meta.events.unregister("before-call.dynamodb.*", count_call)
    finally:
        sim.stop()

    reads = sum(n for name, n in calls.items() if name in READS)
    writes = sum(n for name, n in calls.items() if name not in READS)
    refreshed = max(1, result["refreshed"])
    print(f"due connections:              {args.connections}")
    print(f"not-due connections:          {not_due}")
    print(f"seeded in:                    {seeded:.1f} s")
    print(f"sweep:                        {elapsed:.1f} s, concurrency {args.concurrency}")
    print(
        f"  outcome:                    refreshed {result['refreshed']}, skipped "
        f"{result['skipped']}, failed {result['failed']}, needs_reconnect "
        f"{result['needs_reconnect']}"
    )
    print(f"  connections per second:     {result['refreshed'] / elapsed:.0f}")
    print(
        f"  DynamoDB reads:             {reads} ({reads / refreshed:.3f} per connection: "
        f"{calls['GetItem']} GetItem, {calls['Query']} due-index Query pages)"
    )
    print(f"  DynamoDB writes:            {writes} ({writes / refreshed:.2f} per connection)")
    print(f"  Scan calls:                 {calls['Scan']}")
    print(f"  not-due sets read:          {len(keys_read & idle_ids)} of {len(idle_ids)}")
    if keys_read & idle_ids or calls["Scan"] or result["refreshed"] != len(due_ids):
        raise SystemExit("the sweep read sets that were not due, scanned, or missed due sets")


if __name__ == "__main__":
    main()
