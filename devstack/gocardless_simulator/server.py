"""GoCardlessSimulator: assembles the Flask app and runs it on a threaded werkzeug server."""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .api.billing import create_billing_blueprint, create_flows_blueprint
from .api.customers import create_customers_blueprint
from .api.events import create_events_blueprint
from .api.mandates import create_mandates_blueprint
from .api.payments import create_payments_blueprint
from .api.scenarios import create_scenarios_blueprint
from .clock import SimClock
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
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


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


class GoCardlessSimulator:
    """A stateful stand-in for GoCardless's API, hosted payment pages and webhooks."""

    def __init__(self, config: GoCardlessConfig | None = None) -> None:
        self._initial_config = copy.deepcopy(config or GoCardlessConfig())
        self.config = copy.deepcopy(self._initial_config)
        self.clock = SimClock()
        self.store = Store()
        self.faults = Faults()
        self.webhooks = WebhookSender(self.clock, lambda: self.config, lambda: self.url)
        self.events = EventLog(self.store, self.webhooks.enqueue)
        self.lifecycle = Lifecycle(self.store, self.events, lambda: self.config)
        self.limiter = RateLimiter(self.clock, lambda: self.config)
        self._url = "http://127.0.0.1"
        self._server: BaseWSGIServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
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

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._server = make_server(
            host, port, self.app, threaded=True, request_handler=_QuietHandler
        )
        self._url = f"http://{host}:{self._server.server_port}"
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=self._server.serve_forever, name="gocardless-sim", daemon=True),
            threading.Thread(target=self._tick_forever, name="gocardless-sim-ticker", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self.webhooks.start()
        return self._url

    def stop(self) -> None:
        self._stopping.set()
        self.webhooks.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    @property
    def url(self) -> str:
        return self._url

    def _tick_forever(self) -> None:
        while not self._stopping.wait(0.2):
            try:
                self.tick()
            except Exception:  # one broken step must not stop time for the rest
                logger.exception("a scheduled state change failed")

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
            self.config = copy.deepcopy(self._initial_config)
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
