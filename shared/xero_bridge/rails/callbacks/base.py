"""What a provider's callbacks plug in: a signature check and what a callback points at.

A provider whose callbacks are about more than open payments (GoCardless: mandates, and a
payment charged back after it was recorded) may instead take its callbacks whole: it has a
`handle` (see `WholeCallbacks`), and the worker gives it every verified callback of the batch.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from xero_bridge.rails.callbacks.queue import Callback


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header by its lower-case `name`, whatever case it came in."""
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def signature_matches(expected: str, given: str | None, *, any_case: bool = False) -> bool:
    """Whether the signature `given` (a header's value) is the one `expected` of the body, in
    constant time; `any_case`: hex digits may come in capitals."""
    if not given:
        return False
    try:
        text = given.strip().lower() if any_case else given.strip()
        signature = text.encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected.encode("ascii"), signature)


@dataclass(frozen=True)
class Notice:
    """ "Something happened to the payment with our reference `rail_key` on `rail`": only a
    hint to read the provider's truth about that payment."""

    rail: str
    rail_key: str
    event: str  # the provider's event type, for the logs and the audit


class CallbackProvider(Protocol):
    name: str  # the path's provider: POST /webhooks/<name>
    # (optional) what a bad signature is answered, when not 401 (GoCardless asks for 498)

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether the callback is signed by the provider (constant-time compare)."""
        ...

    def notices(self, headers: Mapping[str, str], body: bytes) -> list[Notice]:
        """The payments of ours a verified callback is about (none: nothing to do)."""
        ...


@dataclass
class Handled:
    """What a provider's `handle` did with a batch of its callbacks."""

    failed: set[str] = field(default_factory=set)  # message ids to send back to the queue
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1


class WholeCallbacks(Protocol):
    def handle(self, callbacks: Sequence[tuple[str, Callback]]) -> Handled:
        """The work `callbacks` ((message id, verified callback)) mean; it reads each
        provider resource they name before acting, as `notices` users do."""
        ...
