"""The start-up and the figure printing the in-process benches share: the Xero simulator with
its limits lifted, the template provisioned in moto and its functions' environment set, the
tenant connected through the real connect flow, the handlers as Lambda runs them, a loopback
receiver standing in for the gateway, the rail worker run on its queue, and the call counts
printed as "  <count>  <kind>" lines.

Whatever imports the product (`xero_bridge`) does so inside a function: a bench sets its
environment (`bench._environment.offline_aws_environment`) before the product is imported.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from devstack.aws import Provisioner
from devstack.events import http_api_event
from devstack.gateway import GatewayServer, LocalGateway
from devstack.lambda_runtime import LocalContext, LocalFunction, load_handler_module
from devstack.sqs_poller import sqs_record
from devstack.template import SamTemplate

ROOT = Path(__file__).resolve().parent.parent
REDIRECT = "http://127.0.0.1:3000/xero/callback"


def xero_simulator() -> Any:
    """The Xero simulator on loopback, its rate limits lifted (the benches count calls, they
    do not wait on Xero's limits)."""
    from devstack.xero_simulator import XeroSimulator

    sim = XeroSimulator()
    sim.start("127.0.0.1", 0)
    sim.config.minute_limit = sim.config.concurrent_limit = 10**6
    return sim


def xero_secret(**more: str) -> dict[str, str]:
    """The app secret's value: the simulator's demo OAuth client, plus `more` keys."""
    from devstack.xero_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    return {"xero_client_id": DEMO_CLIENT_ID, "xero_client_secret": DEMO_CLIENT_SECRET, **more}


def provision(template: SamTemplate, secret: dict[str, str]) -> dict[str, Any]:
    """The template's resources in moto and every function's environment (what the bench set
    already wins); our own rate budget is off: the benches measure Xero's calls."""
    physical = Provisioner(template, secret).provision()
    for function_id in template.functions():
        for name, value in template.function_environment(function_id, physical, {}, {}).items():
            os.environ.setdefault(name, value)
    os.environ.pop("RATE_BUDGET_TABLE", None)  # measure Xero calls, not our budget
    return physical


def connect(xero: Any, tenant: str) -> None:
    """`tenant` connected by user "bench" through the product's connect flow."""
    from xero_bridge.connections.flow import complete_connect, start_connect

    started = start_connect("bench", None, REDIRECT)
    query = {k: v[0] for k, v in parse_qs(urlsplit(started.authorize_url).query).items()}
    code = xero.issue_authorization_code([tenant], REDIRECT, code_challenge=query["code_challenge"])
    complete_connect(state=query["state"], code=code)


def handler(name: str) -> Callable[[dict[str, Any]], Any]:
    """functions/<name>'s handler, called as Lambda calls it."""
    module, _ = load_handler_module(ROOT / "functions" / name, "app.lambda_handler", f"b_{name}")
    return lambda event: module.lambda_handler(event, LocalContext(function_name=name))


def call_route(
    handler: Callable[[dict[str, Any]], Any],
    route: str,
    path_parameters: dict[str, str],
    body: Any,
    context: dict[str, Any],
) -> dict[str, Any]:
    """`handler`'s answer to `route` (e.g. "POST /tenants/{tenantId}/payments") as the gateway
    delivers it: the path filled in from `path_parameters`, `body`, a fresh idempotency key and
    the authorizer's `context`."""
    method, path = route.split(" ", 1)
    event = http_api_event(
        method,
        path.format(**path_parameters),
        route_key=route,
        path_parameters=path_parameters,
        headers={"idempotency-key": str(uuid.uuid4())},
        body=body,
        authorizer_context=context,
    )
    return dict(handler(event))


def rail_handlers() -> tuple[Callable[[dict[str, Any]], Any], ...]:
    """The payments, rail callback intake and rail worker handlers (a rail's deployed pieces)."""
    return handler("payments"), handler("rail_callback_intake"), handler("rail_worker")


def serve(app: Any, *, quiet: bool = True) -> Any:
    """`app` (WSGI) on a loopback port in a daemon thread; `.server_port`, `.shutdown()`.
    `quiet` keeps werkzeug's request lines off stderr."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass

    options: dict[str, Any] = {"request_handler": Quiet} if quiet else {}
    server = make_server("127.0.0.1", 0, app, threaded=True, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Webhooks:
    """Stands in for the gateway: keeps the webhooks a rail simulator sends (headers in lower
    case, raw body) for the bench to hand to the intake handler."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        self.received.append(
            ({k.lower(): v for k, v in request.headers.items()}, request.get_data())
        )
        return Response("", 200)(environ, start_response)


def work(worker: Any, physical: Any) -> None:
    """The rail worker on everything queued on the rail callback queue (as its SQS mapping)."""
    import boto3

    sqs = boto3.client("sqs")
    url, arn = physical["RailCallbackQueue"].ref, physical["RailCallbackQueue"].attributes["Arn"]
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        answer = worker({"Records": [sqs_record(m, arn) for m in messages]})
        assert not answer.get("batchItemFailures"), answer
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def gateway_environment(
    template: SamTemplate, physical: dict[str, Any], sim_url: str, **extra: str
) -> None:
    """Every function's environment as deployed against the simulator at `sim_url` (it
    overrides what was set), the product's caches cleared to read it afresh."""
    parameters = {"XeroIdentityUrl": sim_url, "XeroApiUrl": sim_url}
    for function_id in template.functions():
        os.environ.update(template.function_environment(function_id, physical, parameters, {}))
    os.environ.pop("POWERTOOLS_SERVICE_NAME", None)
    os.environ.update(
        {
            "XERO_REDIRECT_URI": REDIRECT,
            "POWERTOOLS_METRICS_DISABLED": "true",  # the EMF lines are not the bench
            **extra,
        }
    )
    from aws_lambda_powertools.utilities import parameters as powertools_parameters

    from xero_bridge.persistence.dynamodb import reset_clients
    from xero_bridge.settings import get_settings

    get_settings.cache_clear()
    reset_clients()
    powertools_parameters.clear_caches()


@contextmanager
def webhook_stack(
    simulator: Any, **environment: str
) -> Iterator[tuple[SamTemplate, dict[str, Any], dict[str, LocalFunction]]]:
    """The template in moto (the app secret holds the simulator's webhook key), every function
    behind the local gateway and the simulator's Xero webhooks pointed at it (sent only when
    the bench flushes them); yields the template, its resources and the functions."""
    from moto import mock_aws

    template = SamTemplate()
    with mock_aws():
        secret = xero_secret(xero_webhook_key=simulator.config.webhook_key)
        physical = Provisioner(template, secret).provision()
        gateway_environment(template, physical, simulator.url, **environment)
        functions = {}
        for function_id, properties in template.functions().items():
            code_dir, entry = template.function_code(function_id)
            timeout = int(properties.get("Timeout", 15))
            functions[function_id] = LocalFunction(function_id, code_dir, entry, timeout)
        gateway = GatewayServer(LocalGateway(template, functions), port=0)
        gateway.start()
        simulator.config.webhook_url = f"{gateway.url}/webhooks/xero"
        simulator.config.webhook_batch_delay = 3600  # the bench flushes itself
        try:
            yield template, physical, functions
        finally:
            gateway.stop()


def tenant_calls(xero: Any, since: int, tenant: str) -> list[tuple[Any, ...]]:
    """The simulator's call log for `tenant` from entry `since` on."""
    return [c for c in xero.call_log[since:] if c[2] == tenant]


def xero_kinds(calls: Iterable[tuple[Any, ...]]) -> Counter[str]:
    """The simulator's call log entries counted as "<method> <path below /api.xro/2.0>"."""
    return Counter(f"{m} {p.split('/api.xro/2.0')[-1]}" for m, p, *_ in calls)


def print_calls(label: str, count: int, n: int, kinds: Counter[str]) -> None:
    """ "<label>: <count>  (<count/n> per payment)", then a "  <count>  <kind>" line a kind."""
    print(f"{label}: {count}  ({count / n:.2f} per payment)")
    for kind, times in kinds.most_common():
        print(f"  {times:4d}  {kind}")
