"""Checks against the tenant's books, before Xero is asked to move any money.

`check` is pure: it takes the invoice and account as Xero returned them (raw JSON, Decimal
amounts) and either returns a `CheckedPayment` or raises ValidationFailedError (422) listing
every problem. `Books` fetches what a set of requests needs in as few calls as possible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xero_bridge.errors import ValidationFailedError
from xero_bridge.payments.models import PaymentRequest
from xero_bridge.payments.money import from_xero
from xero_bridge.rails import moves_money

Record = dict[str, Any]
KINDS = {"ACCREC": "receive", "ACCPAY": "pay"}


@dataclass(frozen=True)
class CheckedPayment:
    request: PaymentRequest
    invoice_id: str
    invoice_number: str | None
    invoice_type: str
    kind: str
    currency_code: str | None
    account_id: str
    account_code: str | None
    amount_due: Decimal
    account_currency: str | None = None
    contact: Record | None = None  # the invoice's contact, for a rail that pays it
    given_amount: Decimal | None = None  # None: the request pays the amount due

    @property
    def amount(self) -> Decimal:
        """What is paid: the request's amount, else (a rail that allows it) the amount due."""
        return self.amount_due if self.given_amount is None else self.given_amount


def find_account(accounts: Iterable[Record], request: PaymentRequest) -> Record | None:
    for account in accounts:
        if request.account_id and str(account.get("AccountID", "")).lower() == request.account_id:
            return account
        if request.account_code and account.get("Code") == request.account_code:
            return account
    return None


def check(
    request: PaymentRequest,
    invoice: Record | None,
    account: Record | None,
    contact: Record | None = None,
) -> CheckedPayment:
    problems: list[dict[str, Any]] = []
    invoice_field = "invoice_id" if request.invoice_id else "invoice_number"
    account_field = "account_id" if request.account_id else "account_code"
    if invoice is None:
        problems.append({"field": invoice_field, "problem": "no such invoice in this organisation"})
    problems += _account_problems(account, account_field)
    amount_due = Decimal(0)
    if invoice is not None:
        amount_due = from_xero(invoice.get("AmountDue")) or Decimal(0)
        problems += _invoice_problems(invoice, request, invoice_field, amount_due)
    if problems:
        raise ValidationFailedError("the payment cannot be made", problems)
    assert invoice is not None and account is not None
    return CheckedPayment(
        request=request,
        invoice_id=str(invoice["InvoiceID"]).lower(),
        invoice_number=invoice.get("InvoiceNumber"),
        invoice_type=str(invoice["Type"]),
        kind=KINDS[str(invoice["Type"])],
        currency_code=invoice.get("CurrencyCode"),
        account_id=str(account["AccountID"]).lower(),
        account_code=account.get("Code"),
        amount_due=amount_due,
        account_currency=account.get("CurrencyCode"),
        contact=contact,
        given_amount=request.amount,
    )


def _account_problems(account: Record | None, field: str) -> list[dict[str, Any]]:
    """Why the payment cannot go against this account (none: it can)."""
    if account is None:
        return [{"field": field, "problem": "no such account in this organisation"}]
    problems = []
    if account.get("Type") != "BANK" and not account.get("EnablePaymentsToAccount"):
        problems.append(
            {
                "field": field,
                "problem": "the account is not a bank account and does not allow payments",
            }
        )
    if account.get("Status", "ACTIVE") != "ACTIVE":
        problems.append({"field": field, "problem": "the account is archived"})
    return problems


def _invoice_problems(
    invoice: Record, request: PaymentRequest, field: str, amount_due: Decimal
) -> list[dict[str, Any]]:
    """Why this invoice cannot be paid, or not with the request's amount (none: it can)."""
    problems = []
    status = invoice.get("Status")
    if invoice.get("Type") not in KINDS:
        problems.append({"field": field, "problem": "not a sales invoice or a bill"})
    if status != "AUTHORISED":
        problems.append(
            {
                "field": field,
                "problem": f"the invoice is {status}: only AUTHORISED invoices can be paid",
            }
        )
    if status == "AUTHORISED" and request.amount is None and amount_due <= 0:
        problems.append({"field": "amount", "problem": "the bill has no amount due"})
    if status == "AUTHORISED" and request.amount is not None and request.amount > amount_due:
        problems.append(
            {
                "field": "amount",
                "problem": f"the amount is more than the amount due ({amount_due:.2f})",
            }
        )
    return problems


class Books:
    """What the requests need from Xero, fetched in batches: invoices 50 per call, accounts
    once, and the contacts a money-moving rail pays (their bank details), 50 per call."""

    def __init__(self, gateway: Any, requests: Iterable[PaymentRequest]) -> None:
        requests = list(requests)
        self.invoices = gateway.invoices_by_ids(r.invoice_id for r in requests if r.invoice_id)
        self.by_number = gateway.invoices_by_numbers(
            r.invoice_number for r in requests if r.invoice_number
        )
        self.accounts = gateway.accounts() if requests else []
        payees = [r for r in requests if moves_money(r.rail) and r.payee is None]
        contact_ids = [
            str((invoice.get("Contact") or {}).get("ContactID") or "")
            for invoice in (self.invoice_for(r) for r in payees)
            if invoice
        ]
        self.contacts = gateway.contacts_by_ids(contact_ids) if contact_ids else {}

    def contact_for(self, invoice: Record | None) -> Record | None:
        contact_id = str(((invoice or {}).get("Contact") or {}).get("ContactID") or "").lower()
        return self.contacts.get(contact_id) if contact_id else None

    def invoice_for(self, request: PaymentRequest) -> Record | None:
        if request.invoice_id:
            return self.invoices.get(request.invoice_id)
        return self.by_number.get(request.invoice_number or "")

    def check(self, request: PaymentRequest) -> CheckedPayment:
        invoice = self.invoice_for(request)
        account = find_account(self.accounts, request)
        return check(request, invoice, account, self.contact_for(invoice))
