"""SolarisSimulator: the Flask app on a threaded werkzeug server, plus a settlement ticker.

One port serves the auth host (``/oauth2/token``) and the API host (``/v1/...``): point the
product's auth and API base URLs both at ``url``. A background thread settles transfers and
delivers webhooks as (simulated) time passes; ``advance`` moves the clock and does the same
at once, so a test sees the BOOKING webhook arrive before ``advance`` returns.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from devstack.sim_kit.faults import FaultTable
from devstack.sim_kit.simulator import Simulator, Ticker

from .api_accounts import create_accounts_blueprint
from .api_transfers import create_transfers_blueprint
from .auth import TokenStore, create_auth_blueprint
from .bank import Bank
from .config import SolarisConfig
from .control import create_control_blueprint
from .errors import SolarisError
from .faults import Fault, FaultMiddleware
from .webhooks import WebhookOutbox

MAX_CALLS = 10_000  # the call log keeps the latest ones


class SolarisSimulator(Simulator[SolarisConfig]):
    """A stateful stand-in for Solaris: OAuth, VoP, SEPA credit transfers, TANs, webhooks."""

    def __init__(self, config: SolarisConfig | None = None) -> None:
        super().__init__(config or SolarisConfig(), "solaris-sim", forward_only=True)
        self.faults = FaultTable[Fault]()
        self.tokens = TokenStore(self.clock, lambda: self.config)
        self.webhooks = WebhookOutbox(self.clock, lambda: self.config)
        self.bank = Bank(self.clock, lambda: self.config, lambda: self.url, self.webhooks.enqueue)
        self.calls: list[dict[str, Any]] = []
        self.calls_lock = threading.Lock()
        self._tick_lock = threading.Lock()  # one settle/deliver pass at a time
        # A bad receiver must not stop the clock: a failed tick is tried again at the next.
        self.ticker = Ticker(self.tick, lambda: self.config.tick_interval, "solaris-sim-ticker")
        self.app = self._build_app()

    # --- the app -------------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask("solaris_simulator")
        app.register_blueprint(create_auth_blueprint(self.tokens, lambda: self.config))
        app.register_blueprint(create_transfers_blueprint(self))
        app.register_blueprint(create_accounts_blueprint(self))
        app.register_blueprint(create_control_blueprint(self))
        app.before_request(self._check_token)
        app.after_request(self._log_call)
        app.register_error_handler(SolarisError, lambda e: e.response())
        app.register_error_handler(HTTPException, self._http_error)
        app.wsgi_app = FaultMiddleware(app.wsgi_app, self.faults)  # type: ignore[method-assign]
        return app

    def _check_token(self) -> None:
        if request.path.startswith("/v1/"):
            self.tokens.check(request.headers.get("Authorization"))

    def _http_error(self, error: HTTPException) -> Response:
        """Unknown paths and wrong methods answer in Solaris's error shape too."""
        status = error.code or 500
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, "generic_error")
        title = error.name or "Error"
        return SolarisError(status, code, title, error.description or title).response()

    def _log_call(self, response: Response) -> Response:
        if not request.path.startswith("/_sim"):
            with self.calls_lock:
                self.calls.append(
                    {"method": request.method, "path": request.path, "status": response.status_code}
                )
                del self.calls[:-MAX_CALLS]
        return response

    # --- lifecycle -----------------------------------------------------------------------

    def _started(self) -> None:
        self.ticker.start()

    def _stopping(self) -> None:
        self.ticker.stop()

    def reset(self) -> None:
        """Back to the opening balance, no tokens, transfers, webhooks or faults, the initial
        config and clock offset 0."""
        with self._tick_lock:
            self._restore_config()
            self.clock.reset()
            self.faults.clear()
            self.tokens.reset()
            self.webhooks.reset()
            self.bank.reset()
            with self.calls_lock:
                self.calls.clear()

    # --- time ----------------------------------------------------------------------------

    def tick(self) -> dict[str, Any]:
        """Settles what is due and delivers the webhooks that are due, now."""
        with self._tick_lock:
            now = self.clock.now()
            settled = self.bank.settle_due(now)
            attempts = self.webhooks.deliver_due(now)
        return {"settled": settled, "attempts": [a.render() for a in attempts]}

    def advance(self, seconds: float) -> dict[str, Any]:
        """Moves the simulated clock forward; transfers settle and webhooks fire on the way."""
        self.clock.advance(seconds)
        return {"offset": self.clock.offset, **self.tick()}

    def settle(self, transfer_id: str | None = None) -> dict[str, Any]:
        with self._tick_lock:
            settled = self.bank.settle_now(transfer_id)
            attempts = self.webhooks.deliver_due(self.clock.now())
        return {"settled": settled, "attempts": [a.render() for a in attempts]}
