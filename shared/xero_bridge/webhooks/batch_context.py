"""What every part of one batch shares: who the batch is, its clock and settings, where its
messages go back, and its counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from xero_bridge.settings import Settings
from xero_bridge.webhooks.retries import SendBacks


@dataclass(frozen=True)
class BatchContext:
    owner: str  # this batch, in its claims and publication leases
    clock: Callable[[], float]
    settings: Settings
    send_backs: SendBacks
    counts: Counter[str]
