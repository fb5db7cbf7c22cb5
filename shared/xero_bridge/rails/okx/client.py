"""HTTP to OKX's v5 REST API: the signature, the clock, the rate limit, OKX's envelope.

Why httpx and not python-okx: the official SDK sends the demo-trading header by default
(``flag='1'``: a live key is then refused with 50101), returns ``response.json()`` without
ever raising on a non-zero ``code`` (a refused withdrawal looks like an answer), raises
JSONDecodeError on a non-JSON 5xx, sets no timeouts and retries nothing, sends GET query
strings unencoded, and pulls in requests, http2/h2, loguru and websockets. httpx is already
in the layer; the ~150 lines here make every one of those choices deliberately.

- **Signature**: every private call is signed over the exact path, query and body sent
  (`signing`); the query is URL-encoded once and that text is both signed and sent.
- **Clock**: OK-ACCESS-TIMESTAMP must be within 30 s of OKX's clock. A 50102 answer means
  ours is off: OKX's time is read (``GET /api/v5/public/time``), the offset kept for this
  process, and the call made once more; if OKX still says 50102 it is `OkxClockSkewError`
  (503 ``okx_clock_skewed``), never an authentication failure. The offset is logged.
- **Rate limit**: OKX allows 6 requests a second per endpoint and API key; each process
  keeps a sliding window per endpoint and waits for a slot. 50011 (HTTP 429) is waited out
  and tried again; after the last attempt it is a 429 with Retry-After for the caller.
- **Envelope**: ``{"code": "0", "msg": "", "data": [...]}``. Any other code (OKX answers
  business errors with HTTP 200) is `OkxApiError` with OKX's code and message; a refused API
  key, passphrase or signature is a ConfigurationError (an operator's problem).
- **Retries**: reads are repeated after a 5xx, a timeout or a dropped connection (backoff
  with jitter). A POST is not: its outcome is unknown, and the caller reads the withdrawal
  history by clientId before anything is sent again (`OkxOutcomeUnknownError`).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from xero_bridge.errors import (
    ConfigurationError,
    RateLimitedError,
    ServiceUnavailableError,
    UpstreamError,
)
from xero_bridge.observability import logger
from xero_bridge.rails.http import ConnectionPool, NoAnswer, RailHttpClient
from xero_bridge.rails.okx import signing
from xero_bridge.rails.okx.config import OkxConfig
from xero_bridge.redaction import register_secret

SERVER_TIME = "/api/v5/public/time"
RATE_LIMITED = "50011"
CLOCK_SKEWED = "50102"
# Our key, passphrase or signature refused: the app secret is wrong, not the request.
CREDENTIALS_REFUSED = frozenset(
    {"50101", "50103", "50104", "50105", "50106", "50107", "50111", "50112", "50113"}
)
RETRIED_STATUSES = frozenset({500, 502, 503, 504})


@dataclass
class OkxApiError(Exception):
    """OKX answered a non-zero code (a business error, usually with HTTP 200)."""

    code: str
    msg: str
    status: int = 200

    def __str__(self) -> str:
        return f"OKX {self.code}: {self.msg}"


class OkxClockSkewError(ServiceUnavailableError):
    """OKX refused our timestamp even after our clock was set by OKX's."""

    code = "okx_clock_skewed"


class OkxOutcomeUnknownError(ServiceUnavailableError):
    """A POST whose answer was lost (timeout, dropped connection, 5xx): made or not."""

    code = "okx_outcome_unknown"


class RateWindow:
    """At most `per_second` calls in any second, per endpoint, for this process.

    OKX counts a call when it arrives, somewhere between our sending it and its answer: a
    slot is taken before sending and, once the answer is in, dated when it came back (the
    latest the call can have arrived), so no second of OKX's ever holds more than six.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, list[float]] = {}

    def take(self, endpoint: str, per_second: int) -> float:
        while True:
            with self._lock:
                calls = self._calls.setdefault(endpoint, [])
                now = time.monotonic()
                calls[:] = [c for c in calls if c > now - 1.0]
                if len(calls) < per_second:
                    calls.append(now)
                    return now
                pause = min(calls) + 1.0 - now
            time.sleep(max(pause, 0.005))

    def answered(self, endpoint: str, taken: float) -> None:
        with self._lock:
            calls = self._calls.get(endpoint, [])
            if taken in calls:
                calls[calls.index(taken)] = time.monotonic()


_window = RateWindow()
_clock = {"offset": 0.0}  # OKX's clock minus ours, in seconds (set after a 50102)


def forget_clock() -> None:
    _clock["offset"] = 0.0


def clock_offset() -> float:
    return _clock["offset"]


class OkxClient(RailHttpClient[OkxConfig]):
    """Calls to OKX for one configuration."""

    title = "OKX"
    pool = ConnectionPool({"Accept": "application/json"})
    max_delay = 2.0
    dropped = "connection"

    def __init__(self, config: OkxConfig) -> None:
        super().__init__(config)
        register_secret(config.secret_key, config.passphrase)

    def get(
        self, path: str, params: dict[str, str] | None = None, *, signed: bool = True
    ) -> list[dict[str, Any]]:
        query = urlencode({k: v for k, v in (params or {}).items() if v})
        request_path = f"{path}?{query}" if query else path
        return self._call("GET", request_path, "", signed=signed)

    def post(self, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        return self._call("POST", path, json.dumps(body, separators=(",", ":")), signed=True)

    # ------------------------------------------------------------------ one call
    def _call(
        self, method: str, request_path: str, body: str, *, signed: bool
    ) -> list[dict[str, Any]]:
        synced, attempt = False, 0
        while True:
            attempt += 1
            try:
                return self._once(method, request_path, body, signed=signed)
            except OkxApiError as exc:
                if exc.code == CLOCK_SKEWED and not synced:
                    self._sync_clock()
                    synced, attempt = True, attempt - 1  # the refused call did nothing
                    continue
                if exc.code == CLOCK_SKEWED:
                    raise OkxClockSkewError(
                        "OKX says our clock is off (50102) even after setting it by OKX's:"
                        " the request was refused and nothing was sent",
                        [{"okx_code": exc.code, "offset_seconds": round(clock_offset(), 3)}],
                    ) from None
                if exc.code != RATE_LIMITED:
                    raise
                if attempt == self.config.max_attempts:
                    raise RateLimitedError(
                        "OKX's rate limit says wait (50011): retry in a second",
                        1,
                        [{"okx_code": exc.code, "okx_msg": exc.msg}],
                    ) from None
                self._backoff(attempt, RATE_LIMITED, path=request_path.split("?")[0])
            except _Retryable as exc:
                if method != "GET":
                    raise OkxOutcomeUnknownError(
                        f"OKX did not answer ({exc.why}): whether it acted is not known"
                    ) from None
                if attempt == self.config.max_attempts:
                    raise ServiceUnavailableError(
                        f"OKX is unavailable ({exc.why}): retry"
                    ) from None
                self._backoff(attempt, exc.why, path=request_path.split("?")[0])

    def _once(
        self, method: str, request_path: str, body: str, *, signed: bool
    ) -> list[dict[str, Any]]:
        endpoint = request_path.split("?", 1)[0]
        taken = _window.take(endpoint, self.config.requests_per_second)
        headers = {"Content-Type": "application/json"}
        if signed:
            stamp = signing.timestamp(time.time() + clock_offset())
            cfg = self.config
            headers.update(
                signing.headers(
                    cfg.api_key, cfg.secret_key, cfg.passphrase, stamp, method, request_path, body
                )
            )
        url = self.config.api_url + request_path
        try:
            response = self._attempt(method, url, content=body or None, headers=headers)
        except NoAnswer as none:
            raise _Retryable(none.why) from None
        finally:
            _window.answered(endpoint, taken)
        return _envelope(response)

    def _sync_clock(self) -> None:
        before = time.time()
        [row] = self._once("GET", SERVER_TIME, "", signed=False) or [{}]
        after = time.time()
        try:
            server = int(str(row.get("ts"))) / 1000
        except ValueError:
            raise UpstreamError("OKX answered a time that is not milliseconds") from None
        _clock["offset"] = server - (before + after) / 2
        logger.warning("okx clock skew", extra={"offset_seconds": round(_clock["offset"], 3)})


class _Retryable(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _envelope(response: httpx.Response) -> list[dict[str, Any]]:
    """OKX's data, or the error its envelope (or status) says."""
    try:
        body = response.json(parse_float=_decimal_text)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        if response.status_code in RETRIED_STATUSES:
            raise _Retryable(str(response.status_code))
        if response.status_code == 429:
            raise OkxApiError(RATE_LIMITED, "Too Many Requests", 429)
        raise UpstreamError(f"OKX answered {response.status_code} without its envelope")
    code = str(body.get("code", ""))
    if code in ("50001", "50026") or (code != "0" and response.status_code in RETRIED_STATUSES):
        raise _Retryable(f"{response.status_code} {code}")
    if code in CREDENTIALS_REFUSED:
        raise ConfigurationError(f"OKX refused our API credentials ({code}: {body.get('msg')})")
    if code != "0":
        raise OkxApiError(code, str(body.get("msg") or ""), response.status_code)
    data = body.get("data")
    return [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []


def _decimal_text(text: str) -> str:
    """OKX sends numbers as strings; a bare JSON number stays text (never a float)."""
    return text
