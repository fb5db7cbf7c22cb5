"""Transactions as PaymentPage Assert shows them (JSON API 1.53 containers)."""

from __future__ import annotations

from typing import Any

from .errors import SaferpayError
from .state import Transaction
from .wire import iso_at


def assert_answer(transaction: Transaction) -> dict[str, Any]:
    """Assert's body without the ResponseHeader: Transaction, PaymentMeans, Payer, Liability."""
    answer: dict[str, Any] = {"Transaction": transaction_container(transaction)}
    card = transaction.card
    if card is not None:
        card_info: dict[str, Any] = {
            "MaskedNumber": card.masked_number,
            "ExpYear": card.exp_year,
            "ExpMonth": card.exp_month,
        }
        if card.holder_name:
            card_info["HolderName"] = card.holder_name
        card_info["CountryCode"] = card.country_code
        answer["PaymentMeans"] = {
            "Brand": {"PaymentMethod": card.brand, "Name": card.brand_name},
            "DisplayText": card.display_text,
            "Card": card_info,
        }
    if transaction.payer_ip:
        answer["Payer"] = {"IpAddress": transaction.payer_ip}
    if transaction.liability is not None:
        answer["Liability"] = transaction.liability
    return answer


def transaction_container(transaction: Transaction) -> dict[str, Any]:
    container: dict[str, Any] = {
        "Type": "PAYMENT",
        "Status": transaction.status,
        "Id": transaction.transaction_id,
        "Date": iso_at(transaction.date),
        "Amount": {"Value": transaction.amount_value, "CurrencyCode": transaction.currency},
    }
    if transaction.order_id:
        container["OrderId"] = transaction.order_id
    container.update(
        {
            "AcquirerName": transaction.acquirer_name,
            "AcquirerReference": transaction.acquirer_reference,
            "SixTransactionReference": f"0:0:3:{transaction.transaction_id}",
            "ApprovalCode": transaction.approval_code,
        }
    )
    if transaction.capture_id:
        container["CaptureId"] = transaction.capture_id
    return container


def failure_error(transaction: Transaction) -> SaferpayError:
    """Assert of a failed payment: 402 with the failure's name, the TransactionId and OrderId."""
    failure = transaction.failure
    assert failure is not None
    extra: dict[str, str] = {"TransactionId": transaction.transaction_id}
    if failure.payer_message:
        extra["PayerMessage"] = failure.payer_message
    extra.update(failure.processor)
    if transaction.order_id:
        extra["OrderId"] = transaction.order_id
    return SaferpayError(
        402,
        failure.name,
        failure.message,
        failure.behavior,
        extra=extra,
    )
