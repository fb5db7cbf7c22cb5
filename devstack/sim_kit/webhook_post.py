"""Posting one webhook to the product's receiver, as every simulator's sender does."""

from __future__ import annotations

import httpx


class WebhookPoster:
    """Keeps one client for every delivery: a fresh one per post costs ~0.1 s (its TLS setup).
    `close` ends it; the next post opens another."""

    def __init__(self) -> None:
        self._http: httpx.Client | None = None

    def post(
        self, url: str, body: bytes, headers: dict[str, str], timeout: float
    ) -> tuple[int | None, httpx.HTTPError | None]:
        """The receiver's status code, or None and what went wrong (refused, timed out)."""
        if self._http is None:
            self._http = httpx.Client()
        try:
            answer = self._http.post(url, content=body, headers=headers, timeout=timeout)
        except httpx.HTTPError as exc:
            return None, exc
        return answer.status_code, None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
