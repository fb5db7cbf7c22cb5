"""Who is writing right now: the Okta user and the Idempotency-Key of the request being served.

The HTTP layer sets them as it reads the request (`http.request.caller`,
`http.request.idempotency_key`) and clears them when a request starts; the marks our writes
leave (`notify.origins`) read them. Context variables, so concurrent requests in one process
(the local stack serves each on its own thread) never see each other's.
"""

from __future__ import annotations

from contextvars import ContextVar

_actor: ContextVar[str | None] = ContextVar("write_actor", default=None)
_idempotency_key: ContextVar[str | None] = ContextVar("write_idempotency_key", default=None)


def begin_request() -> None:
    _actor.set(None)
    _idempotency_key.set(None)


def set_actor(sub: str | None) -> None:
    _actor.set(sub)


def set_idempotency_key(key: str | None) -> None:
    _idempotency_key.set(key)


def actor() -> str | None:
    return _actor.get()


def idempotency_key() -> str | None:
    return _idempotency_key.get()
