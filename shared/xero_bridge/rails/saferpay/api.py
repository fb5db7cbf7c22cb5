"""The Saferpay calls the rail makes, one function each, answering Saferpay's JSON as it is.

Every RequestId is derived from our link (its id is the payment's rail key), so that a repeat
of an Initialize or a Capture is recognised by Saferpay as the same request: ``<link>:init``,
``<link>:capture``, ``<link>:cancel``. An Assert is a read: each one is a new request.
"""

from __future__ import annotations

import uuid
from typing import Any

from xero_bridge.rails.saferpay.client import SaferpayClient


def request_id(link_id: str, step: str) -> str:
    return f"{link_id}:{step}"  # at most 44 characters (Saferpay allows 50)


class SaferpayApi:
    def __init__(self, client: SaferpayClient) -> None:
        self.client = client
        self.config = client.config

    def initialize(self, link_id: str, body: dict[str, Any], *, repeat: bool) -> dict[str, Any]:
        """PaymentPage Initialize → ``{Token, Expiration, RedirectUrl}``."""
        return self.client.call(
            "PaymentPage/Initialize",
            {"TerminalId": self.config.terminal_id, **body},
            request_id(link_id, "init"),
            repeat=repeat,
        )

    def assert_payment(self, token: str) -> dict[str, Any]:
        """PaymentPage Assert → ``{Transaction: {Type, Status, Id, Amount, …}, …}``."""
        return self.client.call("PaymentPage/Assert", {"Token": token}, str(uuid.uuid4()))

    def capture(self, link_id: str, transaction_id: str) -> dict[str, Any]:
        """Transaction Capture of the whole authorised amount → ``{CaptureId, Status, Date}``."""
        body = {"TransactionReference": {"TransactionId": transaction_id}}
        return self.client.call("Transaction/Capture", body, request_id(link_id, "capture"))

    def cancel(self, link_id: str, transaction_id: str) -> dict[str, Any]:
        """Transaction Cancel of an authorisation that will not be captured."""
        body = {"TransactionReference": {"TransactionId": transaction_id}}
        return self.client.call("Transaction/Cancel", body, request_id(link_id, "cancel"))
