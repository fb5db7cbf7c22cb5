"""What every request passes before an endpoint runs: the signature for private endpoints,
then the endpoint's rate limit (per API key; per IP for public endpoints)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Request

from .auth import authenticate
from .config import Credential
from .errors import OkxError

if TYPE_CHECKING:
    from .server import OkxSimulator


def request_path(request: Request) -> str:
    """The path and query exactly as the caller sent them: what the signature covers."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        return str(raw)
    query = request.query_string.decode("latin-1")
    return f"{request.path}?{query}" if query else request.path


def private(sim: OkxSimulator, request: Request, endpoint: str) -> Credential:
    config = sim.config
    credential = authenticate(
        request.headers,
        request.method,
        request_path(request),
        request.get_data(as_text=True),
        config.credentials(),
        sim.clock.now(),
        config.timestamp_window,
    )
    _limit(sim, f"key:{credential.api_key}:{endpoint}", endpoint)
    return credential


def public(sim: OkxSimulator, request: Request, endpoint: str) -> None:
    _limit(sim, f"ip:{request.remote_addr}:{endpoint}", endpoint)


def _limit(sim: OkxSimulator, bucket: str, endpoint: str) -> None:
    limit = sim.config.limits.get(endpoint)
    if limit is not None and not sim.limiter.allow(bucket, limit, sim.clock.now()):
        raise OkxError("50011")
