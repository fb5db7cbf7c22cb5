"""Card payment links: ``POST …/invoices/{id}/payment_link`` makes one (a card payment on the
``saferpay`` rail and Saferpay's Payment Page for it), ``GET`` answers the invoice's newest.

Making a link, once per Idempotency-Key (optional: without one, every request is a new link):

1. the invoice is read: a sales invoice, AUTHORISED, in the currency of the rail's clearing
   account, with at least the link's amount due (default: all of it);
2. the card payment is stored ``submitted`` (no approval: the money comes in) and the link
   beside it — the link's id is the payment's rail key, known before Saferpay is called;
3. Saferpay's page is initialised (`SaferpayRail.execute`): the answer is the page's URL and
   expiry — with `note_on_invoice`, also written into the invoice's history in Xero. No
   payment reaches Xero until Saferpay has captured the money.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from xero_bridge.errors import (
    ConflictError,
    NotFoundError,
    ValidationFailedError,
    XeroBridgeError,
)
from xero_bridge.observability import logger
from xero_bridge.payments import keys, lifecycle
from xero_bridge.payments.execute import execute_one, refusal, retry
from xero_bridge.payments.idempotency import Once, run_once
from xero_bridge.payments.models import PaymentRequest, fingerprint
from xero_bridge.payments.money import from_xero
from xero_bridge.payments.payment_records import new_record
from xero_bridge.payments.validation import CheckedPayment, check, find_account
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payment_links
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payment_links import PaymentLinkRecord
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.errors import CurrencyNotSupportedError
from xero_bridge.rails.saferpay.config import clearing_account_code
from xero_bridge.rails.saferpay.link_models import PaymentLinkOut, PaymentLinkRequest
from xero_bridge.records.history import add_note
from xero_bridge.records.models import NoteCreate
from xero_bridge.settings import get_settings

RAIL = "saferpay"
REFERENCE = "Saferpay"  # Xero's Reference: "Saferpay <transaction id> xb:<tag>"


def create_link(
    tenant_id: str,
    actor: str,
    invoice_id: str,
    request: PaymentLinkRequest,
    api_base: str,
    key: str | None,
) -> Once[PaymentLinkOut]:
    """A new link for the invoice, or (the same Idempotency-Key) the link it made before."""
    if key is None:
        return Once(_create(tenant_id, actor, str(uuid.uuid4()), invoice_id, request, api_base))
    return run_once(
        operation="payment_link",
        tenant_id=tenant_id,
        key=key,
        actor=actor,
        request={"invoice_id": invoice_id, **request.canonical()},
        fn=lambda: _create(tenant_id, actor, key, invoice_id, request, api_base),
        answer=PaymentLinkOut,
    )


def newest_link(tenant_id: str, invoice_id: str) -> PaymentLinkOut:
    link = payment_links.newest_for_invoice(tenant_id, invoice_id)
    payment = store.get(tenant_id, link.payment_id) if link else None
    if link is None or payment is None:
        raise NotFoundError("the invoice has no payment link")
    return PaymentLinkOut.of(link, payment)


def urls_of(api_base: str, link_id: str) -> dict[str, str]:
    """Where Saferpay notifies us (`SAFERPAY_NOTIFY_BASE_URL` or this API) and where the
    payer's browser goes back to (`SAFERPAY_RETURN_URL`, or our own thank-you page)."""
    settings = get_settings()
    base = (settings.saferpay_notify_base_url or api_base).rstrip("/")
    notify = f"{base}/webhooks/saferpay/{link_id}"
    configured = settings.saferpay_return_url
    back = configured.replace("{link_id}", link_id) if configured else f"{notify}/return"
    return {"notify_url": notify, "return_url": back}


def _create(
    tenant_id: str,
    actor: str,
    key: str,
    invoice_id: str,
    request: PaymentLinkRequest,
    api_base: str,
) -> PaymentLinkOut:
    payment_id = keys.payment_id_for(tenant_id, f"payment_link\n{key}")
    request_hash = fingerprint({"invoice_id": invoice_id, **request.canonical()})
    existing = store.get(tenant_id, payment_id)
    if existing is not None:
        return _resume(existing, request_hash, actor)
    xero = XeroPayments(tenant_id)
    checked = _checked(xero, tenant_id, invoice_id, request)
    link_id = keys.rail_key_for(tenant_id, payment_id)
    number = checked.invoice_number or checked.invoice_id
    rail_data = {
        **urls_of(api_base, link_id),
        "description": request.description or f"Invoice {number}",
    }
    record = new_record(tenant_id, payment_id, checked, actor, "submitted", rail_data=rail_data)
    record = record.model_copy(update={"request_hash": request_hash})
    link = PaymentLinkRecord(
        link_id=link_id,
        tenant_id=tenant_id,
        payment_id=payment_id,
        invoice_id=checked.invoice_id,
        amount=record.amount,
        currency_code=str(record.currency_code),
        created_by=actor,
        created_at=record.created_at,
    )
    payment_links.put(link)  # first: a notification for the link then finds it
    if lifecycle.start(record, actor, payment_link_id=link_id) is None:
        existing = store.get(tenant_id, payment_id)  # a concurrent first attempt won
        assert existing is not None
        return _resume(existing, request_hash, actor)
    answer = PaymentLinkOut.of(link, execute_one(record, xero, actor))
    if request.note_on_invoice:
        _note_on_invoice(tenant_id, answer)
    return answer


def _resume(record: PaymentRecord, request_hash: str, actor: str) -> PaymentLinkOut:
    """The same key again: the same link; sent to Saferpay again only if its answer was lost."""
    if record.request_hash != request_hash:
        raise ConflictError(
            "this Idempotency-Key was already used for a different payment link",
            [{"field": "Idempotency-Key", "problem": "reused with another body"}],
        )
    link = payment_links.get(str(record.rail_key))
    assert link is not None, "a link's payment is stored after the link"
    if record.status == "submitted":
        xero = XeroPayments(record.tenant_id)
        record = execute_one(retry(record, actor), xero, actor, look_first=True)
    elif record.status == "failed" and not (record.rail_data or {}).get("token"):
        raise refusal(record)  # Saferpay refused the page: the same refusal again
    return PaymentLinkOut.of(link, record)


def _note_on_invoice(tenant_id: str, link: PaymentLinkOut) -> None:
    """The link in the invoice's history in Xero, for the people who work there. Written by
    the request that opened the page; a note Xero refuses does not undo the link."""
    details = (
        f"Card payment link (Saferpay) for {link.amount} {link.currency_code}:"
        f" {link.redirect_url} (open until {link.expires_at}; link {link.payment_link_id})"
    )
    try:
        add_note(tenant_id, "invoices", link.invoice_id, NoteCreate(details=details))
    except XeroBridgeError as exc:
        logger.warning("payment link not noted on the invoice", extra={"error_code": exc.code})


def _checked(
    xero: XeroPayments, tenant_id: str, invoice_id: str, request: PaymentLinkRequest
) -> CheckedPayment:
    invoice = xero.invoices_by_ids([invoice_id]).get(invoice_id)
    if invoice is None:
        raise NotFoundError("no such invoice in this organisation")
    _payable_by_card(invoice)
    due = from_xero(invoice.get("AmountDue")) or Decimal(0)
    code = clearing_account_code(tenant_id)
    payment = PaymentRequest.model_validate(
        {
            "invoice_id": invoice_id,
            "account_code": code,
            "amount": request.amount or due,
            "date": datetime.now(UTC).date(),
            "reference": REFERENCE,
            "rail": RAIL,
        }
    )
    checked = check(payment, invoice, find_account(xero.accounts(), payment))
    if (checked.account_currency or "") != (checked.currency_code or ""):
        raise CurrencyNotSupportedError(
            f"the invoice is in {checked.currency_code}: card payments are recorded against"
            f" the Xero account {code}, which is in {checked.account_currency}",
            [{"field": "invoice_id", "currency": checked.currency_code, "account_code": code,
              "account_currency": checked.account_currency}],
        )  # fmt: skip
    return checked


def _payable_by_card(invoice: dict[str, Any]) -> None:
    """A payment link is for a sales invoice that is AUTHORISED and has something due."""
    problems = []
    if invoice.get("Type") != "ACCREC":
        problems.append({"field": "invoice_id", "problem": "not a sales invoice (ACCREC)"})
    if invoice.get("Status") != "AUTHORISED":
        problems.append(
            {"field": "invoice_id",
             "problem": f"the invoice is {invoice.get('Status')}: only AUTHORISED ones are paid"}
        )  # fmt: skip
    elif not (from_xero(invoice.get("AmountDue")) or Decimal(0)) > 0:
        problems.append({"field": "invoice_id", "problem": "nothing is due on the invoice"})
    if problems:
        raise ValidationFailedError("the invoice cannot be paid by a payment link", problems)
