"""What the domain functions and blueprints need from the simulator (a protocol, no cycles)."""

from __future__ import annotations

from typing import Protocol

from devstack.sim_kit.clock import SimClock

from .config import GoCardlessConfig
from .events import EventLog
from .lifecycle import Lifecycle
from .store import Store


class Sim(Protocol):
    store: Store
    clock: SimClock
    events: EventLog
    lifecycle: Lifecycle

    @property
    def config(self) -> GoCardlessConfig: ...

    @property
    def url(self) -> str: ...
