"""SaferpaySimulator: assembles the Flask app and runs it on a threaded werkzeug server."""

from __future__ import annotations

import copy
import threading
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .api import create_api_blueprint
from .clock import SimClock
from .config import SaferpayConfig
from .faults import FaultMiddleware, Faults
from .inspection import create_inspection_blueprint
from .ledger import Ledger
from .notify import Notifier
from .page import create_page_blueprint
from .replay import ReplayMemory
from .state import ApiCall, PageSession, Store
from .validation import response_header
from .wire import iso_at


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class SaferpaySimulator:
    """A stand-in for Worldline Saferpay's JSON API (Payment Page interface) and its payment
    page. The product's base URL is ``<url>/api``, as ``https://test.saferpay.com/api``."""

    def __init__(self, config: SaferpayConfig | None = None) -> None:
        self._initial_config = copy.deepcopy(config or SaferpayConfig())
        self.config = copy.deepcopy(self._initial_config)
        self.clock = SimClock()
        self.store = Store()
        self.faults = Faults()
        self.replays = ReplayMemory(self.clock, lambda: self.config)
        self.notifier = Notifier(self.store, self.clock, lambda: self.config)
        self.ledger = Ledger(self.store, self.clock, lambda: self.config, self.notifier.send_async)
        self._url = "http://127.0.0.1"
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.app = self._build_app()

    def _build_app(self) -> Flask:
        app = Flask("saferpay_simulator")
        app.register_blueprint(create_api_blueprint(self))
        app.register_blueprint(create_page_blueprint(self))
        app.register_blueprint(create_inspection_blueprint(self))
        app.after_request(self._log_call)
        app.wsgi_app = FaultMiddleware(  # type: ignore[method-assign]
            app.wsgi_app, self.faults, lambda body: response_header(body, self.config)
        )
        return app

    def _log_call(self, response: Response) -> Response:
        if request.path.startswith("/api/"):
            call = ApiCall(
                request.path,
                response.status_code,
                g.get("request_id"),
                g.get("retry_indicator"),
                bool(g.get("replayed", False)),
            )
            with self.store.lock:
                self.store.calls.append(call)
        return response

    # --- lifecycle -----------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._server = make_server(
            host, port, self.app, threaded=True, request_handler=_QuietHandler
        )
        self._url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="saferpay-simulator", daemon=True
        )
        self._thread.start()
        return self._url

    def stop(self) -> None:
        self.notifier.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def url(self) -> str:
        return self._url

    def reset(self) -> None:
        """No tokens, transactions, notifications or faults; the initial config; clock at 0."""
        self.notifier.stop()
        self.config = copy.deepcopy(self._initial_config)
        self.clock.reset()
        self.faults.clear()
        self.replays.reset()
        self.store.reset()

    # --- helpers the blueprints share -----------------------------------------------------

    def page_url(self, session: PageSession) -> str:
        """Saferpay's RedirectUrl shape: /vt2/api/PaymentPage/<customer>/<terminal>/<token>."""
        customer = self.config.customer_id
        return f"{self._url}/vt2/api/PaymentPage/{customer}/{session.terminal_id}/{session.token}"

    @staticmethod
    def iso(moment: float) -> str:
        return iso_at(moment)

    def wait_for_notifications(self, timeout: float = 10.0) -> bool:
        """True once no notification round is under way."""
        return self.notifier.wait_idle(timeout)
