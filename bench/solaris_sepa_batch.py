"""Solaris SEPA: Solaris and Xero calls per payment for a batch of 20 SEPA payments, from the
batch to every payment recorded in Xero.

Everything goes through the real handlers (moto for AWS; the Xero and Solaris simulators over
loopback; the tenant connected by the real connect flow): the batch (books, payees, a
Verification of Payee each, the balance once, a change request each, authorised at once),
a TAN confirmed per payment, Solaris books the transfers and sends its webhooks, the intake
queues them and the rail worker reads each transfer, its booking, and records the settled
payments in Xero (one look-up and one PUT per worker batch of 10). The figures are the
simulators' own call logs.

    .venv/bin/python bench/solaris_sepa_batch.py [--payments 20]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

from moto import mock_aws  # noqa: E402

from devstack.aws import Provisioner, make_moto_atomic  # noqa: E402
from devstack.demo_data import SOLARIS_STATIC_TAN  # noqa: E402
from devstack.events import http_api_event  # noqa: E402
from devstack.lambda_runtime import LocalContext, load_handler_module  # noqa: E402
from devstack.sqs_poller import sqs_record  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402

REDIRECT = "http://127.0.0.1:3000/xero/callback"


def handler(name: str) -> Any:
    module, _ = load_handler_module(ROOT / "functions" / name, "app.lambda_handler", f"b_{name}")
    return lambda event: module.lambda_handler(event, LocalContext(function_name=name))


class Webhooks:
    """Stands in for the gateway: the Solaris simulator's webhooks go to the intake handler."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        self.received.append(
            ({k.lower(): v for k, v in request.headers.items()}, request.get_data())
        )
        return Response("", 200)(environ, start_response)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payments", type=int, default=20)
    args = parser.parse_args()
    from bench._environment import offline_aws_environment

    offline_aws_environment(SOLARIS_TAN_DELIVERY="static", SOLARIS_XERO_ACCOUNT_CODE="095")
    import threading

    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass

    from devstack.solaris_simulator import SolarisConfig, SolarisSimulator
    from devstack.xero_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, XeroSimulator
    from devstack.xero_simulator.config import DEMO_TENANT_A
    from devstack.xero_simulator.seed_rails import EUR_BILLS

    make_moto_atomic()
    webhooks = Webhooks()
    receiver = make_server("127.0.0.1", 0, webhooks, threaded=True, request_handler=Quiet)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    xero = XeroSimulator()
    xero.start("127.0.0.1", 0)
    xero.config.minute_limit = xero.config.concurrent_limit = 10**6
    hook_url = f"http://127.0.0.1:{receiver.server_port}/webhooks/solaris"
    solaris = SolarisSimulator(SolarisConfig(webhook_url=hook_url))
    solaris.start("127.0.0.1", 0)
    os.environ.update(
        {
            "XERO_API_URL": xero.url,
            "XERO_IDENTITY_URL": xero.url,
            "SOLARIS_AUTH_URL": solaris.url,
            "SOLARIS_API_URL": solaris.url,
        }
    )
    template = SamTemplate()
    n = args.payments
    try:
        with mock_aws():
            config = solaris.config
            secret = {
                "xero_client_id": DEMO_CLIENT_ID,
                "xero_client_secret": DEMO_CLIENT_SECRET,
                "solaris_client_id": config.client_id,
                "solaris_client_secret": config.client_secret,
                "solaris_account_id": config.account_id,
                "solaris_person_id": config.person_id,
                "solaris_webhook_secret": config.webhook_secret,
            }
            physical = Provisioner(template, secret).provision()
            for function_id in template.functions():
                for name, value in template.function_environment(
                    function_id, physical, {}, {}
                ).items():
                    os.environ.setdefault(name, value)
            os.environ.pop("RATE_BUDGET_TABLE", None)  # measure Xero calls, not our budget
            from xero_bridge.auth.principal import Principal
            from xero_bridge.connections.flow import complete_connect, start_connect

            started = start_connect("bench", None, REDIRECT)
            query = {k: v[0] for k, v in parse_qs(urlsplit(started.authorize_url).query).items()}
            code = xero.issue_authorization_code(
                [DEMO_TENANT_A], REDIRECT, code_challenge=query["code_challenge"]
            )
            complete_connect(state=query["state"], code=code)
            payments, intake, worker = (
                handler("payments"),
                handler("rail_callback_intake"),
                handler("rail_worker"),
            )
            context = Principal(sub="bench", scopes=["payments:write", "payments:approve"])

            def call(path: str, route: str, body: Any, params: dict[str, str]) -> dict:
                event = http_api_event(
                    "POST",
                    f"/tenants/{DEMO_TENANT_A}/payments{path}",
                    route_key=route,
                    path_parameters={"tenantId": DEMO_TENANT_A, **params},
                    headers={"idempotency-key": str(uuid.uuid4())},
                    body=body,
                    authorizer_context=context.to_context(),
                )
                return dict(payments(event))

            bill_id = EUR_BILLS["match"][0]
            items = [
                {
                    "invoice_id": bill_id,
                    "amount": "50.00",
                    "date": "2024-05-01",
                    "rail": "solaris_sepa",
                    "reference": f"bench {i}",
                }
                for i in range(n)
            ]
            xero_before, solaris_before = len(xero.call_log), len(solaris.calls)
            started_at = time.perf_counter()
            answer = call(
                "/batch", "POST /tenants/{tenantId}/payments/batch", {"payments": items}, {}
            )
            results = json.loads(answer["body"])["results"]
            assert all(r["status"] == "awaiting_confirmation" for r in results), results
            for result in results:
                payment_id = result["payment"]["payment_id"]
                confirmed = call(
                    f"/{payment_id}/confirm",
                    "POST /tenants/{tenantId}/payments/{paymentId}/confirm",
                    {"tan": SOLARIS_STATIC_TAN},
                    {"paymentId": payment_id},
                )
                assert confirmed["statusCode"] == 200, confirmed["body"]
            solaris.settle()
            for headers, body in webhooks.received:
                event = http_api_event(
                    "POST",
                    "/webhooks/solaris",
                    route_key="POST /webhooks/solaris",
                    headers=headers,
                    body=body.decode(),
                )
                assert intake(event)["statusCode"] == 200
            work(worker, physical)
            elapsed = time.perf_counter() - started_at
            xero_calls = [c for c in xero.call_log[xero_before:] if c[2] == DEMO_TENANT_A]
            solaris_calls = solaris.calls[solaris_before:]
            recorded = len(xero.created("Payments"))
    finally:
        solaris.stop()
        xero.stop()
        receiver.shutdown()
    report(n, recorded, solaris_calls, xero_calls, elapsed)


def work(worker: Any, physical: Any) -> None:
    import boto3

    sqs = boto3.client("sqs")
    url, arn = physical["RailCallbackQueue"].ref, physical["RailCallbackQueue"].attributes["Arn"]
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        answer = worker({"Records": [sqs_record(m, arn) for m in messages]})
        assert not answer.get("batchItemFailures"), answer
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def report(n: int, recorded: int, solaris_calls: list, xero_calls: list, elapsed: float) -> None:
    def shape(path: str) -> str:
        parts = path.split("/")
        return "/".join("{id}" if len(p) >= 32 else p for p in parts)

    solaris_kinds = Counter(f"{c['method']} {shape(c['path'])}" for c in solaris_calls)
    xero_kinds = Counter(f"{m} {p.split('/api.xro/2.0')[-1]}" for m, p, *_ in xero_calls)
    print(f"SEPA payments: {n} (recorded in Xero: {recorded}) in {elapsed:.2f}s")
    print(f"Solaris calls: {len(solaris_calls)}  ({len(solaris_calls) / n:.2f} per payment)")
    for kind, count in solaris_kinds.most_common():
        print(f"  {count:4d}  {kind}")
    print(f"Xero calls   : {len(xero_calls)}  ({len(xero_calls) / n:.2f} per payment)")
    for kind, count in xero_kinds.most_common():
        print(f"  {count:4d}  {kind}")


if __name__ == "__main__":
    main()
