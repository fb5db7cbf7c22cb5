"""Rail callback intake: verify the provider's signature, queue the callback, answer fast.

Verified callbacks are queued whole (whatever their event), so nothing a provider said is
lost before the worker — which reads the truth anyway — decides what it means. An unknown
provider is a 404, a wrong or missing signature a 401 (the provider retries; a forger gets
nothing), and a queue that cannot take the callback a 503 (the provider retries it later).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from xero_bridge.rails.callbacks import PROVIDERS
from xero_bridge.rails.callbacks.queue import Callback, kept_headers, send

Verdict = Literal["queued", "rejected", "unknown_provider"]


@dataclass(frozen=True)
class IntakeResult:
    verdict: Verdict
    message_id: str | None = None


def receive(provider: str, headers: Mapping[str, str], body: bytes) -> IntakeResult:
    factory = PROVIDERS.get(provider)
    if factory is None:
        return IntakeResult("unknown_provider")
    if not factory().verify(headers, body):
        return IntakeResult("rejected")
    message_id = send(Callback(provider, kept_headers(headers), body))
    return IntakeResult("queued", message_id)
