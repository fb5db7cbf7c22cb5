"""The simulator's clock: the simulators' shared SimClock (devstack.sim_kit.clock)."""

from devstack.sim_kit.clock import SimClock

__all__ = ["SimClock"]
