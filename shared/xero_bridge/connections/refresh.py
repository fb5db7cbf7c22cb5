"""The scheduled refresh sweep: refresh every token set that is due, with bounded concurrency.

Due sets come from the `by_refresh_due` index (a query per shard, no scan): those whose
access token expires within the window, and those whose refresh token is getting old
(`refresh_due_at` is the earlier of the two), so an idle connection is rotated long before
Xero's 60 days. Each set goes through the token manager's serialised refresh; a set that
another refresher holds is left to it. `invalid_grant` marks the set and its tenants
`needs_reconnect` (and publishes `xero.connection.needs_reconnect`); sets so marked leave
the index, so they cost nothing afterwards.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from xero_bridge.errors import NotFoundError, XeroBridgeError
from xero_bridge.observability import logger, metrics
from xero_bridge.persistence import token_sets
from xero_bridge.settings import get_settings
from xero_bridge.xero.tokens import ReconnectRequiredError, TokenManager, token_manager


def _refresh_one(
    manager: TokenManager, token_set_id: str, until: int, deadline: float | None
) -> str:
    """One set: "refreshed" (fresh now), "skipped" (another refresher holds it), or why not."""
    if deadline is not None and time.monotonic() >= deadline:
        return "deferred"  # out of time: the next run picks it up (it is still due)
    try:
        after = manager.refresh(token_set_id, until=until, wait_seconds=0)
    except ReconnectRequiredError:
        return "needs_reconnect"
    except NotFoundError:
        return "gone"  # disconnected since the index was read
    except XeroBridgeError as exc:
        logger.warning(
            "token set refresh failed", extra={"token_set_id": token_set_id, "error_code": exc.code}
        )
        return "failed"
    except Exception:
        logger.exception("token set refresh failed", extra={"token_set_id": token_set_id})
        return "failed"
    return "refreshed" if manager.due_at(after) > until else "skipped"


def sweep(
    now: int | None = None,
    *,
    window: int | None = None,
    limit: int | None = None,
    concurrency: int | None = None,
    manager: TokenManager | None = None,
    seconds_available: float | None = None,
) -> dict[str, Any]:
    """Refresh the sets due by `now + window`; returns counts by outcome.

    `seconds_available`: stop starting refreshes after this long (the Lambda's remaining
    time, less a margin); what is left stays due for the next run.
    """
    settings = get_settings()
    now = int(time.time()) if now is None else now
    window = settings.token_refresh_window_seconds if window is None else window
    limit = settings.token_refresh_batch_limit if limit is None else limit
    concurrency = settings.token_refresh_concurrency if concurrency is None else concurrency
    manager = manager or token_manager
    started = time.monotonic()
    deadline = None if seconds_available is None else started + seconds_available
    due = token_sets.due_token_set_ids(now, window, limit)
    until = now + window
    outcomes: Counter[str] = Counter()
    if due:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for outcome in pool.map(
                lambda ts_id: _refresh_one(manager, ts_id, until, deadline), due
            ):
                outcomes[outcome] += 1
    result = {
        "due": len(due),
        "refreshed": outcomes["refreshed"],
        "skipped": outcomes["skipped"],
        "needs_reconnect": outcomes["needs_reconnect"],
        "failed": outcomes["failed"],
        "gone": outcomes["gone"],
        "deferred": outcomes["deferred"],
        "seconds": round(time.monotonic() - started, 3),
    }
    logger.info("token refresh sweep", extra=result)
    _count_outcomes(outcomes)
    return result


# What an operator watches: refreshes done, and connections a person must now reconnect.
SWEEP_METRICS = {
    "refreshed": "TokenRefreshes",
    "needs_reconnect": "ConnectionsNeedingReconnect",
    "failed": "TokenRefreshFailures",
}


def _count_outcomes(outcomes: Counter[str]) -> None:
    for outcome, name in SWEEP_METRICS.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=outcomes[outcome])
