"""XeroSimulator: assembles the Flask app and runs it on a threaded werkzeug server."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from flask import Flask, Request, Response, g, request

from devstack.sim_kit.simulator import Simulator

from .accounting import create_accounting_blueprint
from .accounting.common import UnitOfWork
from .accounting.contacts import update_contact
from .accounting.invoices import update_invoice
from .config import DEMO_CLIENT_ID, DEMO_GRANULAR_SCOPES, SimulatorConfig
from .connections import create_connections_blueprint
from .faults import SLOW_KEY, FaultMiddleware, Faults
from .grants import Grants
from .idempotency import IdempotencyCache
from .identity import create_identity_blueprint
from .inspection import create_inspection_blueprint
from .problems import ValidationFailed, not_found
from .rate_limits import RateLimiter
from .seed import seed
from .state import CallRecord, Record, Store
from .webhooks import WebhookSender

ResponseHook = Callable[[Request, Response], None]
TOUCHABLE = {"Invoices": update_invoice, "Contacts": update_contact}
# What `issue_authorization_code` consents to when no scope is given.
DEFAULT_CONSENT_SCOPE = "openid profile email offline_access " + DEMO_GRANULAR_SCOPES


class XeroSimulator(Simulator[SimulatorConfig]):
    """A stateful stand-in for Xero's identity server, /connections and Accounting API."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        super().__init__(config or SimulatorConfig(), "xero-simulator")
        self.store = Store()
        self.faults = Faults()
        self.grants = Grants(self.clock, lambda: self.config)
        self.limits = RateLimiter(self.clock, lambda: self.config)
        self.idempotency = IdempotencyCache(self.clock, lambda: self.config)
        self.webhooks = WebhookSender(self.clock, lambda: self.config, lambda: self.url)
        # Called with (request, response) for every response except /_sim/ ones.
        self.on_response: ResponseHook | None = None
        self.app = self._build_app()
        seed(self.store, self.clock.now_dt().date())

    # --- lifecycle -----------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask("xero_simulator")
        app.register_blueprint(create_identity_blueprint(self))
        app.register_blueprint(create_connections_blueprint(self))
        app.register_blueprint(create_accounting_blueprint(self))
        app.register_blueprint(create_inspection_blueprint(self))
        app.register_error_handler(404, lambda _e: not_found())
        app.after_request(self._after_request)
        app.wsgi_app = FaultMiddleware(app.wsgi_app, self.faults)  # type: ignore[method-assign]
        return app

    def _after_request(self, response: Response) -> Response:
        delay = request.environ.pop(SLOW_KEY, None)
        if delay:
            time.sleep(delay)
        if request.path.startswith("/_sim"):
            return response
        tenant_id = getattr(g, "tenant_id", None)
        with self.store.lock:
            self.store.call_log.append(
                CallRecord(request.method, request.path, tenant_id, response.status_code)
            )
        hook = self.on_response
        if hook is not None:
            hook(request, response)
        return response

    def _started(self) -> None:
        self.grants.issuer = self._url
        self.webhooks.start()

    def _stopping(self) -> None:
        self.webhooks.stop()

    def reset(self) -> None:
        """Back to the seeded books, no tokens, no faults, the initial config, clock offset 0."""
        self._restore_config()
        self.clock.reset()
        self.faults.clear()
        self.grants.reset()
        self.limits.reset()
        self.idempotency.reset()
        self.webhooks.reset()
        seed(self.store, self.clock.now_dt().date())

    # --- conveniences for tests ----------------------------------------------------------

    def issue_authorization_code(
        self,
        tenant_ids: list[str] | tuple[str, ...],
        redirect_uri: str,
        code_challenge: str | None = None,
        client_id: str | None = None,
        scope: str | None = None,
    ) -> str:
        """What consenting on the authorize page does (GrantError invalid_scope for scopes
        the consent page would refuse)."""
        return self.grants.issue_code(
            client_id=client_id or DEMO_CLIENT_ID,
            redirect_uri=redirect_uri,
            scope=scope or DEFAULT_CONSENT_SCOPE,
            tenant_ids=list(tenant_ids),
            code_challenge=code_challenge,
        )

    def calls(self, tenant_id: str) -> int:
        with self.store.lock:
            return sum(1 for c in self.store.call_log if c.tenant_id == tenant_id)

    @property
    def call_log(self) -> list[tuple[str, str, str | None, int]]:
        with self.store.lock:
            return [(c.method, c.path, c.tenant_id, c.status) for c in self.store.call_log]

    def created(self, kind: str, tenant_id: str | None = None) -> list[Record]:
        with self.store.lock:
            return [
                copy.deepcopy(r)
                for t, r in self.store.created.get(kind, [])
                if tenant_id is None or t == tenant_id
            ]

    def record(self, tenant_id: str, kind: str, record_id: str) -> Record | None:
        """A stored record as the simulator holds it (Decimal money, date objects)."""
        with self.store.lock:
            book = self.store.book(tenant_id)
            found = book.table(kind).get(record_id.lower()) if book else None
            return copy.deepcopy(found)

    def touch(
        self, tenant_id: str, kind: str, record_id: str, changes: Record | None = None
    ) -> None:
        """Changes an invoice or contact "in Xero" (not via the API): stamps it and queues a
        webhook event, as an edit in Xero's web app would."""
        with self.store.lock:
            book = self.store.book(tenant_id)
            if book is None or kind not in TOUCHABLE:
                raise KeyError(f"cannot touch {kind} in {tenant_id}")
            record = book.table(kind).get(record_id.lower())
            if record is None:
                raise KeyError(f"{kind} {record_id} not found")
            work = UnitOfWork(self, book)
            try:
                TOUCHABLE[kind](work, record, dict(changes or {}))
            except ValidationFailed as failure:
                raise ValueError("; ".join(failure.messages)) from failure
            work.commit()
