"""What every API request passes first: the Bearer token, the GoCardless-Version header and
the rate limit (GoCardless's RateLimit-* headers on every answer, 429 past the limit)."""

from __future__ import annotations

import hmac
from email.utils import formatdate

from flask import Request

from devstack.sim_kit.locked_state import ClockedState

from .config import API_VERSION, GoCardlessConfig
from .errors import invalid_api_usage


def check_credentials(request: Request, config: GoCardlessConfig) -> None:
    header = request.headers.get("Authorization")
    if not header:
        raise invalid_api_usage(401, "missing_authorization_header", "Authorization header missing")
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        raise invalid_api_usage(
            401, "invalid_authorization_header", "Authorization header must be 'Bearer <token>'"
        )
    if not hmac.compare_digest(token.encode(), config.access_token.encode()):
        raise invalid_api_usage(401, "access_token_not_found", "Access token not found")


def check_version(request: Request) -> None:
    version = request.headers.get("GoCardless-Version")
    if not version:
        raise invalid_api_usage(400, "missing_version_header", "GoCardless-Version header missing")
    if version != API_VERSION:
        raise invalid_api_usage(400, "version_not_found", f"Version {version!r} not found")


class RateLimiter(ClockedState[GoCardlessConfig]):
    """A fixed one-minute window on the simulator clock, per access token."""

    def _empty(self) -> None:
        self._window = 0
        self._count = 0

    def take(self) -> dict[str, str]:
        """Counts one request; answers the RateLimit-* headers (429 past the limit)."""
        limit = self.config().rate_limit_per_minute
        now = self.clock.now()
        window = int(now // 60)
        with self.lock:
            if window != self._window:
                self._window, self._count = window, 0
            self._count += 1
            count = self._count
        headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(0, limit - count)),
            "RateLimit-Reset": formatdate((window + 1) * 60, usegmt=True),
        }
        if count > limit:
            error = invalid_api_usage(429, "rate_limit_exceeded", "Rate limit exceeded")
            error.headers = headers
            raise error
        return headers
