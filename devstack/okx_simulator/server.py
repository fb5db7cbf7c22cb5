"""OkxSimulator: the Flask app on a threaded werkzeug server, its clock, ledger and faults."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
from werkzeug.exceptions import MethodNotAllowed, NotFound

from devstack.sim_kit.faults import FaultTable
from devstack.sim_kit.simulator import Simulator

from .api import create_api_blueprint
from .config import OkxConfig
from .control import create_control_blueprint
from .errors import JSON, OkxError, envelope, error_response
from .faults import Fault, FaultMiddleware
from .ledger import Ledger
from .limits import RateLimiter
from .wire import number


class OkxSimulator(Simulator[OkxConfig]):
    """A stand-in for OKX's v5 REST API: signed requests, a funding account, withdrawals."""

    def __init__(self, config: OkxConfig | None = None) -> None:
        super().__init__(config or OkxConfig(), "okx-simulator")
        self.limiter = RateLimiter()
        self.faults = FaultTable[Fault]()
        self.ledger = Ledger(lambda: self.config, self.clock.now)
        self.app = self._build_app()

    def _build_app(self) -> Flask:
        app = Flask("okx_simulator")
        app.register_blueprint(create_api_blueprint(self))
        app.register_blueprint(create_control_blueprint(self))
        app.register_error_handler(OkxError, error_response)
        app.register_error_handler(MethodNotAllowed, lambda _e: error_response(OkxError("50115")))
        app.register_error_handler(NotFound, _not_found)
        app.wsgi_app = FaultMiddleware(app.wsgi_app, self.faults)  # type: ignore[method-assign]
        return app

    # --- lifecycle -----------------------------------------------------------------------

    def reset(self) -> None:
        """The initial config and balances, no withdrawals, no faults, clock offset 0."""
        self._restore_config()
        self.clock.reset()
        self.limiter.reset()
        self.faults.clear()
        self.ledger.reset()

    # --- conveniences for tests ----------------------------------------------------------

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.ledger.settle()

    def withdrawals(self) -> list[dict[str, Any]]:
        """Every withdrawal as the simulator holds it, oldest first."""
        with self.ledger.lock:
            self.ledger.settle()
            return [
                {
                    "wdId": w.wd_id,
                    "clientId": w.client_id,
                    "ccy": w.ccy,
                    "chain": w.chain,
                    "amt": number(w.amt),
                    "fee": number(w.fee),
                    "to": w.to,
                    "state": w.state,
                    "ahead": list(w.ahead),
                    "txId": w.tx_id,
                }
                for w in self.ledger.withdrawals.values()
            ]


def _not_found(_error: Exception) -> Response:
    return Response(envelope("404", "Not Found", []), status=404, content_type=JSON)
