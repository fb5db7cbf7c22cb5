"""What the HTTP blueprints need from the simulator (kept as a protocol to avoid cycles)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .clock import SimClock
from .config import SimulatorConfig
from .grants import Grants
from .state import Store

if TYPE_CHECKING:
    from .faults import Faults
    from .idempotency import IdempotencyCache
    from .rate_limits import RateLimiter
    from .webhooks import WebhookSender


class SimContext(Protocol):
    clock: SimClock
    store: Store
    grants: Grants
    faults: Faults
    limits: RateLimiter
    idempotency: IdempotencyCache
    webhooks: WebhookSender

    @property
    def config(self) -> SimulatorConfig: ...

    @property
    def url(self) -> str: ...

    def reset(self) -> None: ...
