"""The withdrawal's network fee in Xero: a spend-money transaction on the fee account.

OKX takes its fee on top of the amount paid (in the crypto), so the bill is paid in full and
the fee is a cost of its own: from the clearing bank account (the OKX funding account in the
books, in the bill's currency), contact "OKX", one line on the configured expense account
(OKX_XERO_FEE_ACCOUNT_CODE), the fee converted at the payment's quoted price, no tax.

Exactly once: the Reference carries the payment's tag (``… xb:<tag>:fee``) and the PUT an
Idempotency-Key derived from the payment; before any PUT the fee is looked up by that
Reference. The connection needs ``accounting.banktransactions`` (write) for it; a refusal
(no such scope, an archived account) leaves the fee recorded on the payment, not in Xero,
and says so — it never holds up the bill's own record. A Xero outage is tried again.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from xero_bridge.errors import ForbiddenError, ValidationFailedError, XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.payments import keys
from xero_bridge.payments.money import to_wire
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailOutcome
from xero_bridge.rails.config import per_tenant
from xero_bridge.rails.okx.quote import in_bill_currency
from xero_bridge.settings import get_settings
from xero_bridge.xero.client import accounting_api, raw_json, xero_call

FEE_CONTACT = "OKX"


class XeroFees:
    """The two Xero calls of a fee booking, for one tenant."""

    def __init__(self, tenant_id: str, api: Any = None) -> None:
        self.tenant_id = tenant_id
        self.api = api if api is not None else accounting_api(tenant_id)

    def find(self, reference: str) -> dict[str, Any] | None:
        where = f'Reference=="{reference}"'
        body = xero_call(
            lambda: raw_json(
                self.api.get_bank_transactions(self.tenant_id, where=where, _preload_content=False)
            )
        )
        found = [t for t in body.get("BankTransactions") or [] if t.get("Status") != "DELETED"]
        return found[0] if found else None

    def create(self, transaction: dict[str, Any], key: str) -> dict[str, Any]:
        body = xero_call(
            lambda: raw_json(
                self.api.create_bank_transactions(
                    self.tenant_id,
                    {"BankTransactions": [transaction]},
                    summarize_errors=True,
                    idempotency_key=key,
                    _preload_content=False,
                )
            )
        )
        created = body.get("BankTransactions") or [{}]
        return dict(created[0])


def fee_account_code(tenant_id: str) -> str:
    settings = get_settings()
    return per_tenant(
        settings.okx_xero_fee_account_code, settings.okx_xero_fee_account_codes, tenant_id
    )


def book_fee(
    record: PaymentRecord, withdrawal: dict[str, Any], fees: XeroFees | None = None
) -> dict[str, Any]:
    """The fee booking's state for the payment (``booked``, ``not_configured``, ``refused``);
    XeroBridgeError when Xero is unavailable (the caller tries again later)."""
    quote = (record.rail_data or {}).get("quote") or {}
    fee = Decimal(str(withdrawal.get("fee") or quote.get("fee") or "0"))
    amount = in_bill_currency(fee, Decimal(str(quote.get("price") or "0")))
    state: dict[str, Any] = {
        "fee": format(fee, "f"),
        "fee_ccy": quote.get("ccy"),
        "amount": f"{amount:.2f}",
        "currency": record.currency_code,
    }
    account = fee_account_code(record.tenant_id)
    if not account:
        return {**state, "status": "not_configured"}
    if amount <= 0:
        return {**state, "status": "nothing_to_book"}
    fees = fees or XeroFees(record.tenant_id)
    reference = f"OKX network fee {withdrawal.get('wd_id')} {_tag(record)}"
    try:
        found = fees.find(reference)
        booked = found or fees.create(
            _transaction(record, account, amount, fee, reference),
            keys.xero_idempotency_key(record.tenant_id, "okx-fee", record.payment_id),
        )
    except (ValidationFailedError, ForbiddenError) as refused:
        logger.error(
            "okx fee not booked in xero",
            extra={"payment_id": record.payment_id, "error_code": refused.code},
        )
        return {
            **state,
            "status": "refused",
            "account_code": account,
            "reason": {"code": refused.code, "message": refused.message},
        }
    except XeroBridgeError:
        raise
    return {
        **state,
        "status": "booked",
        "account_code": account,
        "reference": reference,
        "bank_transaction_id": str(booked.get("BankTransactionID") or "").lower() or None,
    }


def settled(payment: PaymentRecord, outcome: RailOutcome) -> RailOutcome:
    """A withdrawal's success: the fee booked in Xero first (when configured), the Reference
    Xero will hold naming the crypto amount, the rate and the chain's transaction id. Xero
    unavailable: the payment stays executing, and is read again next time."""
    withdrawal = (outcome.data or {}).get("withdrawal") or {}
    try:
        fee = book_fee(payment, withdrawal)
    except XeroBridgeError as exc:
        logger.warning("okx fee booking waits for xero", extra={"error_code": exc.code})
        return RailOutcome(
            state="executing",
            rail_status=outcome.rail_status,
            rail_reference=outcome.rail_reference,
            data=outcome.data,
            how="fee_booking_waits",
        )
    quote = (payment.rail_data or {}).get("quote") or {}
    text = (
        f"{quote.get('crypto_amount')} {quote.get('ccy')} at {quote.get('price')}"
        f" {quote.get('pair')} tx {withdrawal.get('tx_id')}"
    )
    details = {
        **(outcome.details or {}),
        "fee_booking": fee.get("status"),
        "fee_in_currency": fee.get("amount"),
        "rate": quote.get("price"),
    }
    return replace(
        outcome,
        data={**(outcome.data or {}), "fee_booking": fee},
        details=details,
        xero_text=text,
    )


def _tag(record: PaymentRecord) -> str:
    return keys.reference_tag(record.tenant_id, record.payment_id) + ":fee"


def _transaction(
    record: PaymentRecord, account: str, amount: Decimal, fee: Decimal, reference: str
) -> dict[str, Any]:
    quote = (record.rail_data or {}).get("quote") or {}
    return {
        "Type": "SPEND",
        "Contact": {"Name": FEE_CONTACT},
        "BankAccount": {"AccountID": record.account_id},
        "Date": record.date,
        "Reference": reference,
        "CurrencyCode": record.currency_code,
        "LineAmountTypes": "NoTax",
        "LineItems": [
            {
                "Description": f"OKX withdrawal fee: {format(fee, 'f')} {quote.get('ccy')} on"
                f" {quote.get('chain')} at {quote.get('price')} ({quote.get('pair')})",
                "Quantity": 1,
                "UnitAmount": to_wire(amount),
                "AccountCode": account,
            }
        ],
    }
