"""SaferpaySimulator: assembles the Flask app and runs it on a threaded werkzeug server."""

from __future__ import annotations

from flask import Flask, Response, g, request

from devstack.sim_kit.faults import FaultTable
from devstack.sim_kit.simulator import Simulator

from .api import create_api_blueprint
from .config import SaferpayConfig
from .faults import Fault, FaultMiddleware
from .inspection import create_inspection_blueprint
from .ledger import Ledger
from .notify import Notifier
from .page import create_page_blueprint
from .replay import ReplayMemory
from .state import ApiCall, PageSession, Store
from .validation import response_header
from .wire import iso_at


class SaferpaySimulator(Simulator[SaferpayConfig]):
    """A stand-in for Worldline Saferpay's JSON API (Payment Page interface) and its payment
    page. The product's base URL is ``<url>/api``, as ``https://test.saferpay.com/api``."""

    def __init__(self, config: SaferpayConfig | None = None) -> None:
        super().__init__(config or SaferpayConfig(), "saferpay-simulator")
        self.store = Store()
        self.faults = FaultTable[Fault]()
        self.replays = ReplayMemory(self.clock, lambda: self.config)
        self.notifier = Notifier(self.store, self.clock, lambda: self.config)
        self.ledger = Ledger(self.store, self.clock, lambda: self.config, self.notifier.send_async)
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

    def _stopping(self) -> None:
        self.notifier.close()

    def reset(self) -> None:
        """No tokens, transactions, notifications or faults; the initial config; clock at 0."""
        self.notifier.stop()
        self._restore_config()
        self.clock.reset()
        self.faults.clear()
        self.replays.reset()
        self.store.reset()

    # --- helpers the blueprints share -----------------------------------------------------

    def page_url(self, session: PageSession) -> str:
        """Saferpay's RedirectUrl shape: /vt2/api/PaymentPage/<customer>/<terminal>/<token>."""
        customer, terminal = self.config.customer_id, session.request.terminal_id
        return f"{self._url}/vt2/api/PaymentPage/{customer}/{terminal}/{session.token}"

    @staticmethod
    def iso(moment: float) -> str:
        return iso_at(moment)

    def wait_for_notifications(self, timeout: float = 10.0) -> bool:
        """True once no notification round is under way."""
        return self.notifier.wait_idle(timeout)
