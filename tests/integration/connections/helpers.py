"""What the connection tests share beyond their fixtures."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from xero_bridge.persistence import token_sets


def refresh_at_once(refresh: Callable[..., Any], token_set_id: str, count: int = 20) -> list[str]:
    """`count` threads refresh the stored token set at the same moment, each from its own fresh
    read of it (as `count` Lambdas that all got a 401 with the same token would): the access
    tokens they got back. None of them raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []
    results: list[str] = []

    def refresher() -> None:
        try:
            seen = token_sets.get_token_set(token_set_id)
            barrier.wait()
            refreshed = refresh(
                token_set_id, stale_access_token=seen.access_token.get_secret_value()
            )
            results.append(refreshed.access_token.get_secret_value())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=refresher) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    return results
