"""What a provider's callbacks plug in: a signature check and what a callback points at."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Notice:
    """ "Something happened to the payment with our reference `rail_key` on `rail`": only a
    hint to read the provider's truth about that payment."""

    rail: str
    rail_key: str
    event: str  # the provider's event type, for the logs and the audit


class CallbackProvider(Protocol):
    name: str  # the path's provider: POST /webhooks/<name>

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether the callback is signed by the provider (constant-time compare)."""
        ...

    def notices(self, headers: Mapping[str, str], body: bytes) -> list[Notice]:
        """The payments of ours a verified callback is about (none: nothing to do)."""
        ...
