"""What the domain functions and blueprints need from the simulator (a protocol, no cycles)."""

from __future__ import annotations

from typing import Protocol

from devstack.sim_kit.context import SimContext

from .config import GoCardlessConfig
from .events import EventLog
from .lifecycle import Lifecycle
from .store import Store


class Sim(SimContext[GoCardlessConfig], Protocol):
    store: Store
    events: EventLog
    lifecycle: Lifecycle
