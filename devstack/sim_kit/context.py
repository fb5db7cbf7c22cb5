"""What a simulator's routes and domain code see of it, as a protocol: they need not import
the simulator (which imports them). A simulator's own protocol adds its state to this."""

from __future__ import annotations

from typing import Protocol

from .clock import SimClock


class SimContext[ConfigT](Protocol):
    clock: SimClock

    @property
    def config(self) -> ConfigT: ...

    @property
    def url(self) -> str: ...
