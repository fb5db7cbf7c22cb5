"""One HTTP POST to a receiver the business chose, made safe to point anywhere.

- The URL and every address of its host are checked (`addresses`) before the request, and
  the TCP connection goes to one of those checked addresses (a pinned network backend under
  httpcore): nothing resolves the name again between the check and the connect. TLS still
  verifies the certificate against the host name (SNI and hostname checks use the URL).
- No redirects are followed: a 3xx is an answer like any other, and not a 2xx.
- One deadline for everything (connect, TLS, sending, the status line): only a 2xx that
  arrives within it counts. Every socket read and write is bounded by what is left of it,
  so a receiver that drips bytes cannot hold a delivery longer.
- At most `max_bytes` of the answer are read; the rest is never fetched.
- No proxy from the environment, no cookies, no connection reuse between receivers.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import certifi
import httpcore

from xero_bridge.notify.addresses import UnsafeTargetError, checked_addresses, parse_target

USER_AGENT = "XeroBridge-Webhooks/1.0"
EXCERPT_BYTES = 1024  # of the answer, kept for people looking at a delivery


@dataclass(frozen=True)
class Answer:
    """What a receiver answered: its status (None when it did not answer in time, or was
    never asked), how long it took, the start of its body, and what went wrong."""

    status: int | None
    elapsed_ms: int
    excerpt: str = ""
    error: str | None = None
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self.inner = inner
        self.deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise error("the receiver's time is up")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = self._left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self.inner.start_tls(ssl_context, server_hostname, left), self.deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects to the checked addresses whatever host name httpcore asks for."""

    def __init__(self, addresses: list[str], deadline: float) -> None:
        self.addresses = addresses
        self.deadline = deadline
        self.inner = httpcore.SyncBackend()
        self.connected_to: str | None = None

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception = httpcore.ConnectError("no address to connect to")
        for address in self.addresses:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout("the receiver's time is up")
            try:
                stream = self.inner.connect_tcp(
                    address, port, min(left, timeout or left), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            self.connected_to = address
            return _DeadlineStream(stream, self.deadline)
        raise failure


def _describe(exc: Exception, timeout: float) -> str:
    if isinstance(exc, httpcore.TimeoutException):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, httpcore.ConnectError):
        return f"could not connect: {exc}" if str(exc) else "could not connect"
    if isinstance(exc, httpcore.ProtocolError):
        return "the answer was not valid HTTP"
    return f"the request failed ({type(exc).__name__})"


def post(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    timeout: float = 10.0,
    max_bytes: int = 64 * 1024,
    allow_loopback: bool = False,
) -> Answer:
    """POST `body` to `url` (see the module's rules); never raises for the receiver's sake."""
    started = time.monotonic()
    deadline = started + timeout

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = parse_target(url, allow_loopback)
        addresses = checked_addresses(target, allow_loopback)
    except UnsafeTargetError as exc:
        return Answer(None, elapsed(), error=f"refused: {exc}")
    sent = [("User-Agent", USER_AGENT), *((k, v) for k, v in headers.items())]
    status: int | None = None
    retry_after: str | None = None
    received = bytearray()
    backend = _PinnedBackend(addresses, deadline)
    with httpcore.ConnectionPool(
        ssl_context=_ssl_context(), network_backend=backend, max_connections=1, retries=0
    ) as pool:
        try:
            with pool.stream(
                "POST",
                url,
                headers=sent,
                content=body,
                extensions={
                    "timeout": dict.fromkeys(("connect", "read", "write", "pool"), timeout)
                },
            ) as response:
                status = response.status
                retry_after = _header(response.headers, b"retry-after")
                for chunk in response.iter_stream():
                    received.extend(chunk[: max_bytes - len(received)])
                    if len(received) >= max_bytes:
                        break  # the rest is never read: leaving closes the connection
        except Exception as exc:  # the receiver's failure, described; ours would not be here
            excerpt = bytes(received[:EXCERPT_BYTES]).decode("utf-8", "replace")
            return Answer(status, elapsed(), excerpt, _describe(exc, timeout), retry_after)
    excerpt = bytes(received[:EXCERPT_BYTES]).decode("utf-8", "replace")
    return Answer(status, elapsed(), excerpt, None, retry_after)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None
