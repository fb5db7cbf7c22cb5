"""GoCardlessSimulator: assembles the Flask app and runs it on a threaded werkzeug server."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import MethodNotAllowed, NotFound

from devstack.sim_kit.serving import WsgiApp
from devstack.sim_kit.simulator import Simulator, Ticker

from .api.billing import create_billing_blueprint, create_flows_blueprint
from .api.customers import create_customers_blueprint
from .api.events import create_events_blueprint
from .api.mandates import create_mandates_blueprint
from .api.payments import create_payments_blueprint
from .api.scenarios import create_scenarios_blueprint
from .config import GoCardlessConfig
from .domain.flows import PAGE_PATH
from .errors import ApiError, invalid_api_usage
from .events import EventLog
from .faults import FaultMiddleware, Faults
from .gate import RateLimiter, check_credentials, check_version
from .inspection import create_inspection_blueprint
from .lifecycle import Lifecycle
from .page import create_page_blueprint
from .store import Record, Store
from .webhooks import WebhookSender
from .wire import public

logger = logging.getLogger(__name__)


class _OneAtATime:
    """API requests see the state one at a time (the page and the API alike); /_sim/ does its
    own locking so that a webhook delivery can call the API back."""

    def __init__(self, app: WsgiApp, lock: threading.RLock) -> None:
        self.app = app
        self.lock = lock

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO", "").startswith("/_sim"):
            return self.app(environ, start_response)
        with self.lock:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()


class GoCardlessSimulator(Simulator[GoCardlessConfig]):
    """A stateful stand-in for GoCardless's API, hosted payment pages and webhooks."""

    def __init__(self, config: GoCardlessConfig | None = None) -> None:
        super().__init__(config or GoCardlessConfig(), "gocardless-sim", forward_only=True)
        self.store = Store()
        self.faults = Faults()
        self.webhooks = WebhookSender(self.clock, lambda: self.config, lambda: self.url)
        self.events = EventLog(self.store, self.webhooks.enqueue)
        self.lifecycle = Lifecycle(self.store, self.events, lambda: self.config)
        self.limiter = RateLimiter(self.clock, lambda: self.config)
        self.ticker = Ticker(
            self.tick,
            lambda: 0.2,
            "gocardless-sim-ticker",
            lambda: logger.exception("a scheduled state change failed"),
        )
        self.app = self._build_app()

    # --- the app -------------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask("gocardless_simulator")
        for blueprint in (
            create_customers_blueprint(self),
            create_mandates_blueprint(self),
            create_payments_blueprint(self),
            create_billing_blueprint(self),
            create_flows_blueprint(self),
            create_events_blueprint(self),
            create_scenarios_blueprint(self),
            create_page_blueprint(self),
            create_inspection_blueprint(self),
        ):
            app.register_blueprint(blueprint)
        app.before_request(self._gate)
        app.after_request(self._rate_limit_headers)
        app.register_error_handler(ApiError, lambda e: e.response())
        app.register_error_handler(
            NotFound, lambda _e: invalid_api_usage(404, "not_found", "Not found").response()
        )
        app.register_error_handler(
            MethodNotAllowed,
            lambda _e: invalid_api_usage(
                405, "method_not_allowed", "Method not allowed"
            ).response(),
        )
        wsgi = _OneAtATime(app.wsgi_app, self.store.lock)
        app.wsgi_app = FaultMiddleware(wsgi, self.faults)  # type: ignore[method-assign]
        return app

    def _gate(self) -> None:
        if request.path.startswith("/_sim"):
            return
        if request.path != PAGE_PATH:
            check_credentials(request, self.config)
            check_version(request)
            g.rate_limit = self.limiter.take()
        self.tick()

    def _rate_limit_headers(self, response: Response) -> Response:
        response.headers.update(getattr(g, "rate_limit", {}))
        return response

    # --- lifecycle -----------------------------------------------------------------------

    def _started(self) -> None:
        self.ticker.start()
        self.webhooks.start()

    def _stopping(self) -> None:
        self.ticker.stop()
        self.webhooks.stop()

    def tick(self) -> int:
        """Applies every state change due by now."""
        with self.store.lock:
            return self.lifecycle.run_due(self.clock.now())

    def advance(self, seconds: float) -> int:
        """Moves the clock forward and applies what fell due meanwhile, in order."""
        self.clock.advance(seconds)
        return self.tick()

    def reset(self) -> None:
        """No resources, no events or webhooks, no faults, the initial config, offset 0."""
        with self.store.lock:
            self._restore_config()
            self.clock.reset()
            self.faults.clear()
            self.store.reset()
            self.lifecycle.reset()
            self.limiter.reset()
            self.webhooks.reset()

    # --- conveniences for tests ----------------------------------------------------------

    def resources(self, kind: str) -> list[Record]:
        with self.store.lock:
            return [public(r) for r in self.store.all(kind)]

    def events_for(self, resource_id: str) -> list[tuple[str, str, str | None]]:
        """(resource_type, action, cause) of a resource's events, oldest first."""
        with self.store.lock:
            return [
                (e["resource_type"], e["action"], e["details"].get("cause"))
                for e in self.store.all("events")
                if resource_id in e["links"].values()
            ]
