"""The whole product on this machine: moto, the Xero simulator, the dev Okta issuer and the
gateway, wired together from template.yaml. `python -m devstack` runs it; the end-to-end
tests start the same thing in a subprocess.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack import demo
from devstack.aws import Provisioner, aws_environment, start_moto
from devstack.gateway import GatewayServer, LocalGateway
from devstack.lambda_runtime import LocalFunction
from devstack.rail_simulators import STARTERS, RailSimulator
from devstack.receiver import Receiver
from devstack.scheduler import LocalScheduler
from devstack.service_logs import route_service_logs
from devstack.sqs_poller import SqsPoller
from devstack.template import ROOT, SamTemplate
from devstack.web import console_origins, start_console


def _port(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


@dataclass
class StackConfig:
    api_port: int = field(default_factory=lambda: _port("DEV_API_PORT", 3000))
    aws_port: int = field(default_factory=lambda: _port("DEV_AWS_PORT", 4566))
    xero_port: int = field(default_factory=lambda: _port("DEV_XERO_PORT", 3100))
    okta_port: int = field(default_factory=lambda: _port("DEV_OKTA_PORT", 3200))
    openai_port: int = field(default_factory=lambda: _port("DEV_OPENAI_PORT", 3300))
    receiver_port: int = field(default_factory=lambda: _port("DEV_RECEIVER_PORT", 3800))
    web_port: int = field(default_factory=lambda: _port("DEV_WEB_PORT", 5173))
    rail_ports: dict[str, int] = field(
        default_factory=lambda: {
            name: _port(f"DEV_{name.upper()}_PORT", default)
            for name, default in (
                ("solaris", 3400),
                ("okx", 3500),
                ("gocardless", 3600),
                ("saferpay", 3700),
            )
        }
    )
    state_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("DEVSTACK_STATE_DIR") or ROOT / ".devstack")
    )


# Webhook endpoints and alerts locally: http:// and loopback for the receiver (never set in a
# deployed stack), and retries after seconds rather than half a minute, so a person sees one.
LOCAL_NOTIFY_ENVIRONMENT = {
    "NOTIFY_ALLOW_LOOPBACK": "true",
    "DELIVERY_RETRY_BASE_SECONDS": "2",
}


def receiver_settings(receiver: Receiver) -> dict[str, str]:
    """What `make dev` prints about the receiver: URLs to register as endpoints and channels."""
    return {
        "receiver webhook url": f"{receiver.url}/hooks/<any name>",
        "receiver slack url": receiver.slack_url(),
        "receiver discord url": receiver.discord_url(),
        "receiver calls": f"{receiver.url}/_receiver/calls",
    }


class LocalStack:
    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config or StackConfig()
        self.template = SamTemplate()
        self.urls: dict[str, str] = {}
        self.settings: dict[str, str] = {}
        self._stoppers: list[Any] = []

    def start(self) -> dict[str, str]:
        config = self.config
        config.state_dir.mkdir(parents=True, exist_ok=True)
        # Before any server starts: werkzeug adds a console handler to a logger without one.
        logs_dir = config.state_dir / "logs"
        self._stoppers.append(route_service_logs(logs_dir))

        moto, aws_url = start_moto(config.aws_port)
        self._stoppers.append(moto.stop)
        os.environ.update(aws_environment(aws_url))

        # Bind the gateway first: the simulator needs its URL to deliver webhooks.
        functions = self._functions()
        origins = console_origins(config.web_port)
        gateway = GatewayServer(
            LocalGateway(self.template, functions, cors_origins=origins), port=config.api_port
        )
        api_url = gateway.url

        xero = demo.start_xero(config.xero_port, webhook_url=f"{api_url}/webhooks/xero")
        if xero.stop:
            self._stoppers.append(xero.stop)
        okta = demo.start_okta(config.okta_port, config.state_dir / "okta", origins)
        if okta.stop:
            self._stoppers.append(okta.stop)

        openai = demo.start_openai(config.openai_port)
        if openai.stop:
            self._stoppers.append(openai.stop)
        rails: list[RailSimulator] = []
        for name, start in STARTERS.items():
            rails.append(start(config.rail_ports[name], api_url))
            self._stoppers.append(rails[-1].stop)

        # The business's own systems, Slack and Discord, as one recording receiver.
        receiver = Receiver()
        receiver.start(port=config.receiver_port)
        self._stoppers.append(receiver.stop)

        physical = Provisioner(self.template, demo.secret_values(openai.api_key)).provision()
        parameters = {
            "Environment": "dev",
            "OktaIssuer": okta.issuer,
            "OktaAudience": okta.audience,
            "XeroIdentityUrl": xero.identity_url,
            "XeroApiUrl": xero.api_url,
            "CorsAllowedOrigins": ",".join(origins),  # also where a connect may return to
        }
        if openai.base_url:
            parameters["OpenAiBaseUrl"] = openai.base_url
        solaris_url = next((rail.url for rail in rails if rail.name == "solaris"), None)
        parameters.update(demo.solaris_parameters(solaris_url))
        saferpay_url = next((rail.url for rail in rails if rail.name == "saferpay"), None)
        parameters.update(demo.saferpay_parameters(saferpay_url))
        okx_url = next((rail.url for rail in rails if rail.name == "okx"), None)
        parameters.update(demo.okx_parameters(okx_url))
        gocardless_url = next((rail.url for rail in rails if rail.name == "gocardless"), None)
        parameters.update(demo.gocardless_parameters(gocardless_url))
        os.environ.update(self._environment(physical, parameters))
        os.environ.update(demo.passthrough_environment())

        gateway.start()
        self._stoppers.append(gateway.stop)
        # moto's EventBridge never fires: the stack runs the template's schedules itself,
        # from `start_schedules` on (their logs must not come between the printed lines).
        self.scheduler = LocalScheduler(self.template, functions)
        self._stoppers.append(self.scheduler.stop)
        # Nor does moto's SQS invoke Lambdas: the stack polls the template's queues itself.
        self.poller = SqsPoller(self.template, functions, physical)
        self.poller.start()
        self._stoppers.append(self.poller.stop)
        self.urls = {"api": api_url, "aws": aws_url}
        if xero.url:
            self.urls["xero"] = xero.url
        if okta.url:
            self.urls["okta"] = okta.url
        if openai.url:
            self.urls["openai"] = openai.url
        self._start_console(api_url, okta.issuer, logs_dir)
        self.urls.update({rail.name: rail.url for rail in rails})
        self.urls["receiver"] = receiver.url
        self.settings = demo.printed_settings(xero, okta)
        for rail in rails:
            self.settings.update(rail.settings)
        self.settings.update(receiver_settings(receiver))
        self.settings["service logs"] = str(logs_dir)
        return self.urls

    def start_schedules(self) -> None:
        """Run the template's schedules from now on: once `make dev` has said `ready`."""
        self.scheduler.start()

    def _environment(self, physical: dict[str, Any], parameters: dict[str, str]) -> dict[str, str]:
        """The functions' variables; handlers share this process, so each gets their union."""
        environment: dict[str, str] = {}
        for function_id in self.template.functions():
            environment.update(
                self.template.function_environment(function_id, physical, parameters, {})
            )
        environment.pop("POWERTOOLS_SERVICE_NAME", None)
        environment["APP_ENV"] = "local"
        environment.update(LOCAL_NOTIFY_ENVIRONMENT)
        return environment

    def _start_console(self, api_url: str, issuer: str, logs_dir: Path) -> None:
        from devstack.okta import CONSOLE_CLIENT_ID

        console = start_console(
            self.config.web_port,
            logs_dir,
            api_url=api_url,
            okta_issuer=issuer,
            client_id=os.environ.get("OKTA_CONSOLE_CLIENT_ID", CONSOLE_CLIENT_ID),
        )
        if console.url:
            self.urls["web"] = console.url
        if console.stop:
            self._stoppers.append(console.stop)

    def _functions(self) -> dict[str, LocalFunction]:
        functions = {}
        for function_id, properties in self.template.functions().items():
            code_dir, handler = self.template.function_code(function_id)
            timeout = int(properties.get("Timeout", 15))
            functions[function_id] = LocalFunction(function_id, code_dir, handler, timeout)
        return functions

    def stop(self) -> None:
        for stop in reversed(self._stoppers):
            try:
                stop()
            except Exception as exc:  # keep stopping the rest
                print(f"warning: stopping a service failed: {exc}", flush=True)
        self._stoppers.clear()
