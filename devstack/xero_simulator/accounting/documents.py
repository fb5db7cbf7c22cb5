"""What invoices and credit notes share: contact lookup, line items, tax and totals (Decimal)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..problems import ValidationFailed
from ..state import Record, TenantBook, new_id
from ..wire import parse_date, parse_decimal
from .common import copy_fields
from .currency import document_currency, rate_of
from .tracking import line_tracking

CENT = Decimal("0.01")
UNIT = Decimal("0.0001")
ZERO = Decimal("0.00")
LINE_AMOUNT_TYPES = {"Exclusive", "Inclusive", "NoTax"}
SALES_TYPES = {"ACCREC", "ACCRECCREDIT"}  # the document types on the sales side


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def contact_summary(book: TenantBook, contact_id: str) -> Record:
    contact = book.table("Contacts").get(contact_id, {})
    summary = {"ContactID": contact_id, "Name": contact.get("Name")}
    for optional in ("ContactNumber", "ContactStatus", "EmailAddress"):
        if contact.get(optional):
            summary[optional] = contact[optional]
    return summary


def resolve_contact(work: Any, raw: Any) -> str:
    """By ContactID, else by Name; an unknown Name creates the contact (as Xero does)."""
    book: TenantBook = work.book
    if not isinstance(raw, dict):
        raise ValidationFailed(["A Contact must be specified for this type of transaction"])
    contact_id = str(raw.get("ContactID") or "").lower()
    if contact_id:
        if contact_id not in book.table("Contacts"):
            raise ValidationFailed([f"Contact with ContactID {contact_id} could not be found"])
        return contact_id
    name = (raw.get("Name") or "").strip()
    if not name:
        raise ValidationFailed(["A Contact must be specified for this type of transaction"])
    existing = book.find_by("Contacts", "Name", name)
    if existing:
        return existing["ContactID"]
    from .contacts import new_contact  # a late import: contacts and documents are siblings

    return new_contact(work, {"Name": name})["ContactID"]


def build_lines(
    book: TenantBook, raw_lines: Any, line_types: str, sales: bool, need_accounts: bool
) -> list[Record]:
    if not isinstance(raw_lines, list):
        raise ValidationFailed(["LineItems must be a list"])
    errors: list[str] = []
    lines: list[Record] = []
    for raw in raw_lines:
        try:
            lines.append(_line(book, raw, line_types, sales, need_accounts))
        except ValidationFailed as failure:
            errors.extend(failure.messages)
    if errors:
        raise ValidationFailed(errors)
    return lines


def _line(book: TenantBook, raw: Any, line_types: str, sales: bool, need_accounts: bool) -> Record:
    if not isinstance(raw, dict):
        raise ValidationFailed(["Each line item must be an object"])
    line: Record = {"LineItemID": str(raw.get("LineItemID") or new_id()).lower()}
    item_code = raw.get("ItemCode")
    defaults: Record = {}
    if item_code:
        item = book.find_by("Items", "Code", item_code)
        if item is None:
            raise ValidationFailed([f"Item code '{item_code}' is not valid"])
        line["ItemCode"] = item_code
        defaults = dict(item.get("SalesDetails" if sales else "PurchaseDetails") or {})
        defaults.setdefault("Description", item.get("Description") or item.get("Name"))
    description = raw.get("Description") or defaults.get("Description")
    if not description and not item_code:
        raise ValidationFailed(["Description cannot be empty"])
    line["Description"] = description
    try:
        quantity = parse_decimal(raw.get("Quantity"))
        unit = parse_decimal(raw.get("UnitAmount"))
        discount = parse_decimal(raw.get("DiscountRate"))
        given_amount = parse_decimal(raw.get("LineAmount"))
    except ValueError as exc:
        raise ValidationFailed([str(exc)]) from exc
    quantity = Decimal("1.0000") if quantity is None else quantity.quantize(UNIT)
    if unit is None:
        unit = defaults.get("UnitPrice")
    if unit is None and given_amount is not None:
        unit = given_amount / quantity if quantity else given_amount
    unit = (unit or Decimal(0)).quantize(UNIT, rounding=ROUND_HALF_UP)
    account_code = raw.get("AccountCode") or defaults.get("AccountCode")
    account = book.find_by("Accounts", "Code", account_code) if account_code else None
    if account_code and account is None:
        raise ValidationFailed(
            [f"Account code '{account_code}' is not a valid code for this document."]
        )
    if need_accounts and account is None:
        raise ValidationFailed(["Account code must be specified for each line item"])
    tax_type = raw.get("TaxType") or defaults.get("TaxType") or (account or {}).get("TaxType")
    tax_type = tax_type or "NONE"
    rate_record = book.table("TaxRates").get(tax_type)
    if rate_record is None:
        raise ValidationFailed(
            [
                f"The TaxType code '{tax_type}' does not exist or cannot be used for this type "
                "of transaction."
            ]
        )
    amount = money(quantity * unit)
    if discount:
        amount = money(amount * (Decimal(100) - discount) / Decimal(100))
        line["DiscountRate"] = discount
    rate: Decimal = rate_record["EffectiveRate"]
    if line_types == "NoTax":
        tax = ZERO
    elif line_types == "Inclusive":
        tax = money(amount * rate / (Decimal(100) + rate))
    else:
        tax = money(amount * rate / Decimal(100))
    line.update(
        Quantity=quantity,
        UnitAmount=unit,
        AccountCode=account_code,
        AccountID=(account or {}).get("AccountID"),
        TaxType=tax_type,
        TaxAmount=tax,
        LineAmount=amount,
        Tracking=line_tracking(book, raw.get("Tracking")),
    )
    return line


def apply_totals(document: Record) -> None:
    lines = document.get("LineItems") or []
    tax = sum((line["TaxAmount"] for line in lines), ZERO)
    amounts = sum((line["LineAmount"] for line in lines), ZERO)
    if document.get("LineAmountTypes") == "Inclusive":
        document["SubTotal"], document["Total"] = amounts - tax, amounts
    else:
        document["SubTotal"], document["Total"] = amounts, amounts + tax
    document["TotalTax"] = tax


def common_fields(work: Any, doc: Record, raw: Record, status: str) -> None:
    """Contact, dates, reference, currency, line items and totals, from a create or update;
    ``status`` is the one the document is to have (AUTHORISED needs accounts on every line)."""
    book: TenantBook = work.book
    need_accounts, sales = status == "AUTHORISED", doc["Type"] in SALES_TYPES
    if "Contact" in raw or "ContactID" not in doc.get("Contact", {}):
        doc["Contact"] = {"ContactID": resolve_contact(work, raw.get("Contact"))}
    line_types = raw.get("LineAmountTypes") or doc.get("LineAmountTypes") or "Exclusive"
    if line_types not in LINE_AMOUNT_TYPES:
        raise ValidationFailed([f"LineAmountTypes '{line_types}' is not valid"])
    doc["LineAmountTypes"] = line_types
    try:
        for field_name in ("Date", "DueDate"):
            if raw.get(field_name):
                doc[field_name] = parse_date(raw[field_name])
    except ValueError as exc:
        raise ValidationFailed([f"Date is not valid: {exc}"]) from exc
    doc.setdefault("Date", work.now.date())
    copy_fields(doc, raw, ("Reference", "BrandingThemeID", "Url"))
    currency = document_currency(
        book,
        str(
            raw.get("CurrencyCode") or doc.get("CurrencyCode") or book.organisation["BaseCurrency"]
        ),
    )
    if doc.get("CurrencyCode") != currency or "CurrencyRate" in raw:
        doc["CurrencyRate"] = rate_of(raw.get("CurrencyRate"), book, currency)
    doc["CurrencyCode"] = currency
    if "LineItems" in raw or "LineItems" not in doc:
        doc["LineItems"] = build_lines(
            book, raw.get("LineItems", []), line_types, sales, need_accounts
        )
    elif need_accounts:
        missing = [line for line in doc["LineItems"] if not line.get("AccountCode")]
        if missing:
            raise ValidationFailed(["Account code must be specified for each line item"])
    apply_totals(doc)
