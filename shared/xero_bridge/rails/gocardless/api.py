"""The GoCardless calls the rail makes, through the official SDK (``gocardless_pro``), one
method each, answering GoCardless's resources as plain JSON dicts.

- **Idempotency**: the SDK sends an ``Idempotency-Key`` with every create; we pass one
  derived from our own ids (`keys`), so a create that is repeated — a retry after a lost
  answer, two people at once — gets the resource the first one made (GoCardless answers 409
  ``idempotent_creation_conflict`` and the SDK fetches the one it names).
- **Errors**: GoCardless refusing a request (``validation_failed``, ``invalid_state``,
  ``invalid_api_usage``) is `GoCardlessRefusal`, with GoCardless's error; a refused access
  token (401, 403) a ConfigurationError (an operator's problem, never the caller's); a 429, a
  5xx, a timeout or no connection (after the SDK's own retries of the last two) a 503 or 504
  — for a create, its outcome is then unknown, and the same key makes trying again safe.
- **Money** crosses this boundary as integer minor units (cents, pence): `minor_units` and
  `from_minor_units` convert exactly, never through a float.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import gocardless_pro
import requests
from gocardless_pro import errors as sdk_errors

from xero_bridge.errors import (
    ConfigurationError,
    ServiceUnavailableError,
    UpstreamError,
    UpstreamTimeoutError,
)
from xero_bridge.payments.money import minor_units as minor_units
from xero_bridge.rails.gocardless.config import GoCardlessConfig, gocardless_config

MINOR = Decimal(100)  # EUR and GBP, the currencies of SEPA Core and Bacs
REFUSALS = (
    sdk_errors.ValidationFailedError,
    sdk_errors.InvalidStateError,
    sdk_errors.InvalidApiUsageError,
)


def from_minor_units(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UpstreamError("GoCardless answered an amount that is not integer minor units")
    return Decimal(value) / MINOR


def idempotency_key(*parts: str) -> str:
    """A GoCardless Idempotency-Key from our ids (GoCardless allows 128 characters)."""
    return "xb-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass
class GoCardlessRefusal(Exception):
    """GoCardless refused the request: its error, as it said it."""

    status: int
    type: str
    message: str
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [str(e.get("reason")) for e in self.errors if e.get("reason")]

    def details(self) -> list[dict[str, Any]]:
        """GoCardless's errors as the `details` of our error: field, reason, message."""
        keep = ("field", "reason", "message", "request_pointer")
        found = [{k: e[k] for k in keep if e.get(k) is not None} for e in self.errors]
        return found or [{"message": self.message}]

    def __str__(self) -> str:
        return f"{self.status} {self.type}: {self.message}"


@contextmanager
def translated(what: str) -> Iterator[None]:
    """GoCardless's and the network's failures as the module says."""
    try:
        yield
    except REFUSALS as exc:
        raise GoCardlessRefusal(
            status=int(exc.code or 400),
            type=str(exc.type or "invalid_api_usage"),
            message=str(exc.message or "refused"),
            errors=[e for e in exc.errors or [] if isinstance(e, dict)],
        ) from None
    except (sdk_errors.AuthenticationError, sdk_errors.PermissionsError):
        raise ConfigurationError("GoCardless refused the access token") from None
    except (sdk_errors.RateLimitError, sdk_errors.GoCardlessInternalError):
        raise ServiceUnavailableError(f"GoCardless is unavailable ({what}): retry") from None
    except requests.Timeout:
        raise UpstreamTimeoutError(f"GoCardless did not answer in time ({what}): retry") from None
    except requests.RequestException:
        raise ServiceUnavailableError(f"GoCardless could not be reached ({what})") from None
    except sdk_errors.GoCardlessProError:
        raise UpstreamError(f"GoCardless answered something unreadable ({what})") from None


def _json(resource: Any) -> dict[str, Any]:
    return dict(resource.attributes)


class GoCardlessApi:
    """The calls, for one configuration (the creditor's access token)."""

    def __init__(self, config: GoCardlessConfig | None = None) -> None:
        self.config = config or gocardless_config()
        self.client = gocardless_pro.Client(
            access_token=self.config.access_token,
            base_url=self.config.base_url,
            timeout=self.config.timeout,
        )

    # ------------------------------------------------------------------ mandates
    def create_billing_request(self, params: dict[str, Any], key: str) -> dict[str, Any]:
        with translated("billing request"):
            created = self.client.billing_requests.create(
                params=params, headers={"Idempotency-Key": key}
            )
        return _json(created)

    def create_flow(self, params: dict[str, Any], key: str) -> dict[str, Any]:
        with translated("billing request flow"):
            created = self.client.billing_request_flows.create(
                params=params, headers={"Idempotency-Key": key}
            )
        return _json(created)

    def billing_request(self, billing_request_id: str) -> dict[str, Any]:
        with translated("billing request"):
            return _json(self.client.billing_requests.get(billing_request_id))

    def mandate(self, mandate_id: str) -> dict[str, Any]:
        with translated("mandate"):
            return _json(self.client.mandates.get(mandate_id))

    # ------------------------------------------------------------------ payments
    def create_payment(self, params: dict[str, Any], key: str) -> dict[str, Any]:
        with translated("payment"):
            created = self.client.payments.create(params=params, headers={"Idempotency-Key": key})
        return _json(created)

    def payment(self, payment_id: str) -> dict[str, Any]:
        with translated("payment"):
            return _json(self.client.payments.get(payment_id))

    def latest_event_details(self, payment_id: str, action: str) -> dict[str, Any] | None:
        """The `details` of the payment's newest event with `action` (why it failed: a
        payment does not say so itself), or None."""
        params = {"payment": payment_id, "action": action, "limit": 1}
        with translated("events"):
            found = self.client.events.list(params=params).records
        return dict(found[0].attributes.get("details") or {}) if found else None

    def payments_of_mandate(self, mandate_id: str) -> list[dict[str, Any]]:
        """Every payment on a mandate, newest first (pages of 500, as the SDK walks them)."""
        with translated("payments"):
            found = self.client.payments.all(params={"mandate": mandate_id, "limit": 500})
            return [_json(payment) for payment in found]
