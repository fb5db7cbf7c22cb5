"""The Solaris calls the rail makes, one function each, answering Solaris's JSON as it is.

Money crosses this boundary as integer cents (``{"value": 12345, "unit": "cents",
"currency": "EUR"}``); `payments.money.minor_units` and `euros` convert exactly, never
through a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xero_bridge.errors import UpstreamError
from xero_bridge.rails.solaris.client import SolarisClient

CENTS = Decimal(100)


def euros(value: Any) -> Decimal:
    """Solaris's amount object (or integer cents) as a Decimal amount."""
    if isinstance(value, dict):
        if value.get("unit", "cents") != "cents":
            raise UpstreamError(f"Solaris answered an amount in {value.get('unit')!r}")
        value = value.get("value")
    if isinstance(value, bool) or not isinstance(value, int):
        raise UpstreamError("Solaris answered an amount that is not integer cents")
    return Decimal(value) / CENTS


@dataclass(frozen=True)
class Created:
    """What a POST of a transfer answered: the transfer (200/201) or a change request (202)."""

    status_code: int
    body: dict[str, Any]

    @property
    def is_change_request(self) -> bool:
        return self.status_code == 202


class SolarisApi:
    def __init__(self, client: SolarisClient) -> None:
        self.client = client
        self.config = client.config

    def verify_payee(self, iban: str, name: str) -> dict[str, Any]:
        return dict(
            self.client.request(
                "POST", "/v1/verifications_of_payee", {"iban": iban, "name": name}
            ).json()
        )

    def available_cents(self) -> int:
        body = self.client.request("GET", f"/v1/accounts/{self.config.account_id}/balance").json()
        available = body.get("available_balance") or {}
        value = available.get("value") if isinstance(available, dict) else None
        if isinstance(value, bool) or not isinstance(value, int):
            raise UpstreamError("Solaris answered a balance that is not integer cents")
        return value

    def create_transfer(self, body: dict[str, Any]) -> Created:
        response = self.client.request("POST", self.config.transfers_path, body)
        return Created(response.status_code, dict(response.json()))

    def transfer(self, transfer_id: str) -> dict[str, Any]:
        path = f"{self.config.transfers_path}/{transfer_id}"
        return dict(self.client.request("GET", path).json())

    def change_request(self, change_request_id: str) -> dict[str, Any]:
        return dict(self.client.request("GET", f"/v1/change_requests/{change_request_id}").json())

    def authorize(self, change_request_id: str) -> dict[str, Any]:
        body = {"delivery_method": self.config.tan_delivery, "person_id": self.config.person_id}
        path = f"/v1/change_requests/{change_request_id}/authorize"
        return dict(self.client.request("POST", path, body).json())

    def confirm(self, change_request_id: str, tan: str) -> dict[str, Any]:
        body = {"person_id": self.config.person_id, "tan": tan}
        path = f"/v1/change_requests/{change_request_id}/confirm"
        return dict(self.client.request("POST", path, body).json())

    def booking_of(self, transaction_id: str) -> dict[str, Any] | None:
        """The account's booking of a transfer, once the bank has booked it."""
        path = f"/v1/accounts/{self.config.account_id}/bookings"
        params = {"filter[transaction_id]": transaction_id, "page[size]": "1"}
        found = self.client.request("GET", path, params=params).json()
        return dict(found[0]) if isinstance(found, list) and found else None
