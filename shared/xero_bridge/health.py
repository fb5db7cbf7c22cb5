"""What GET /health reports: the version and whether each dependency answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel

from xero_bridge import __version__
from xero_bridge.errors import XeroBridgeError
from xero_bridge.persistence.token_sets import describe_tokens_table
from xero_bridge.secrets import app_secrets
from xero_bridge.settings import get_settings


class DependencyCheck(BaseModel):
    ok: bool
    latency_ms: float
    error: str | None = None


class HealthReport(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    environment: str
    checks: dict[str, DependencyCheck]


def _timed(check: Callable[[], Any]) -> DependencyCheck:
    started = time.perf_counter()
    try:
        check()
    except XeroBridgeError as exc:
        error: str | None = exc.message
    except Exception as exc:  # a dependency's own error: name its type, never its payload
        error = f"{type(exc).__name__}: unavailable"
    else:
        error = None
    latency = round((time.perf_counter() - started) * 1000, 1)
    return DependencyCheck(ok=error is None, latency_ms=latency, error=error)


def check_health() -> HealthReport:
    checks = {
        "tokens_table": _timed(describe_tokens_table),
        "app_secret": _timed(app_secrets),
    }
    status: Literal["ok", "degraded"] = (
        "ok" if all(check.ok for check in checks.values()) else "degraded"
    )
    return HealthReport(
        status=status,
        version=__version__,
        environment=get_settings().app_env,
        checks=checks,
    )
