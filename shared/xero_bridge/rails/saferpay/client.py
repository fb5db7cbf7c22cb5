"""HTTP to Saferpay's JSON API: Basic auth, the RequestHeader, and what its ``Behavior`` says
may be retried.

- **RequestHeader**: ``{SpecVersion, CustomerId, RequestId, RetryIndicator}``. The caller names
  the RequestId (derived from our link, so it is the same for every attempt of one request) and
  whether an earlier attempt may have reached Saferpay (`repeat`); the RetryIndicator is 0 for
  a first attempt and goes up by one with each further attempt (at most 9), which is how
  Saferpay answers a repeated Initialize or Capture with its first answer instead of doing it
  again.
- **Retried here** (with backoff and jitter, up to SAFERPAY_MAX_ATTEMPTS in all): a timeout, a
  dropped connection, a 5xx without Saferpay's error body, and any error whose ``Behavior``
  is ``RETRY``. After the last attempt: 503 (504 for a timeout) — the outcome is unknown.
- **Not retried**: ``RETRY_LATER`` (try again later: the caller decides — for Assert it means
  "not paid yet"), ``DO_NOT_RETRY`` and ``OTHER_MEANS`` (final): `SaferpayApiError` with
  Saferpay's ErrorName, message, details and the transaction it names. A refused login (401)
  is a ConfigurationError: an operator's problem, never the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from xero_bridge.errors import ConfigurationError, ServiceUnavailableError, UpstreamError
from xero_bridge.rails.http import ConnectionPool, NoAnswer, RailHttpClient
from xero_bridge.rails.saferpay.config import SPEC_VERSION, SaferpayConfig
from xero_bridge.redaction import register_secret

MAX_RETRY_INDICATOR = 9  # the JSON API's limit
BEHAVIORS = ("DO_NOT_RETRY", "OTHER_MEANS", "RETRY", "RETRY_LATER")


@dataclass
class SaferpayApiError(Exception):
    """An error answer with Saferpay's body: what it says about the request."""

    status: int
    name: str  # ErrorName, e.g. TRANSACTION_DECLINED
    message: str = ""
    behavior: str = "DO_NOT_RETRY"
    detail: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)  # TransactionId, PayerMessage, Processor*

    def __str__(self) -> str:
        return f"{self.status} {self.name} ({self.behavior}): {self.message}"

    @property
    def transaction_id(self) -> str | None:
        return self.extra.get("TransactionId") or None


def error_of(response: httpx.Response) -> SaferpayApiError | None:
    """Saferpay's error body as an error; None when the answer has none (a proxy's 5xx)."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not body.get("ErrorName"):
        return None
    behavior = str(body.get("Behavior") or "DO_NOT_RETRY")
    detail = body.get("ErrorDetail")
    known = {"ResponseHeader", "Behavior", "ErrorName", "ErrorMessage", "ErrorDetail"}
    return SaferpayApiError(
        status=response.status_code,
        name=str(body["ErrorName"]),
        message=str(body.get("ErrorMessage") or ""),
        behavior=behavior if behavior in BEHAVIORS else "DO_NOT_RETRY",
        detail=[str(line) for line in detail] if isinstance(detail, list) else [],
        extra={k: str(v) for k, v in body.items() if k not in known and isinstance(v, str)},
    )


class SaferpayClient(RailHttpClient[SaferpayConfig]):
    """Calls to the JSON API for one configuration."""

    title = "Saferpay"
    pool = ConnectionPool({"Accept": "application/json", "Content-Type": "application/json"})

    def __init__(self, config: SaferpayConfig) -> None:
        super().__init__(config)
        register_secret(config.api_password)

    def header(self, request_id: str, retry_indicator: int) -> dict[str, Any]:
        return {
            "SpecVersion": SPEC_VERSION,
            "CustomerId": self.config.customer_id,
            "RequestId": request_id,
            "RetryIndicator": min(retry_indicator, MAX_RETRY_INDICATOR),
        }

    def call(
        self, operation: str, body: dict[str, Any], request_id: str, *, repeat: bool = False
    ) -> dict[str, Any]:
        """POST ``/Payment/v1/<operation>``; Saferpay's answer, or SaferpayApiError.

        `repeat`: an earlier attempt of this very request (same RequestId and body) may have
        reached Saferpay, so even the first attempt here carries a RetryIndicator above 0.
        """
        url = f"{self.config.api_url}/Payment/v1/{operation}"

        def attempt(number: int, last: bool) -> dict[str, Any] | str:
            retry_indicator = number - 1 + (1 if repeat else 0)
            payload = {"RequestHeader": self.header(request_id, retry_indicator), **body}
            return self._post(url, payload, last)

        return self._retrying(attempt, operation=operation)

    def _post(self, url: str, payload: dict[str, Any], last: bool) -> dict[str, Any] | str:
        """Saferpay's answer, or why to try again (raises when it may not be tried again)."""
        auth = (self.config.api_user, self.config.api_password)
        try:
            response = self._attempt("POST", url, json=payload, auth=auth)
        except NoAnswer as none:
            if last:
                raise self._gave_up(none) from None
            return none.why
        if response.status_code < 400:
            return _json(response)
        error = error_of(response)
        if response.status_code == 401:
            raise ConfigurationError("Saferpay refused the JSON API user (401)")
        retriable = error.behavior == "RETRY" if error else response.status_code >= 500
        if not retriable:
            if error is None:
                raise UpstreamError(f"Saferpay answered {response.status_code} without an error")
            raise error
        if last:
            raise ServiceUnavailableError(
                f"Saferpay is unavailable ({response.status_code}"
                f"{' ' + error.name if error else ''}): retry"
            )
        return str(response.status_code)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise UpstreamError("Saferpay answered something that is not JSON") from None
    if not isinstance(body, dict):
        raise UpstreamError("Saferpay answered something that is not a JSON object")
    return body
