"""Our clean shapes ↔ xero-python's models (one function per direction and resource).

From Xero: enums become their values, numbers Decimal (xero-python already parses JSON
numbers as Decimal; a float is converted through its text), /Date(…)/ values arrive as
date/datetime objects from xero-python and leave as ISO 8601.
To Xero: only the fields a caller gave are set, so an update never blanks the rest.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, get_args

from pydantic import BaseModel
from xero_python.accounting import models as xm

from xero_bridge.records import models as m
from xero_bridge.records.fields import AddressType, PhoneType


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _datetime(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _from_xero[M: BaseModel](model: type[M], source: Any, **mapped: Any) -> M:
    """`model` from xero-python's object: the `mapped` fields as given, every other field from
    the attribute of the same name (an enum as its value)."""
    same = {
        name: _value(getattr(source, name)) for name in model.model_fields if name not in mapped
    }
    return model(**same, **mapped)


def _record_from_xero[M: BaseModel](model: type[M], source: Any, id_field: str, **mapped: Any) -> M:
    """A record of Xero's (as `_from_xero`): its id as text, its UpdatedDateUTC `updated_at`."""
    return _from_xero(
        model,
        source,
        **{id_field: str(getattr(source, id_field))},
        updated_at=_datetime(source.updated_date_utc),
        **mapped,
    )


def _decimals(source: Any, *names: str) -> dict[str, Decimal | None]:
    return {name: _decimal(getattr(source, name)) for name in names}


def _dates(source: Any, *names: str) -> dict[str, date | None]:
    return {name: _date(getattr(source, name)) for name in names}


def _given(model: BaseModel) -> dict[str, Any]:
    """The fields the caller actually sent (an update touches nothing else)."""
    return {name: getattr(model, name) for name in model.model_fields_set}


# ---------------------------------------------------------------------------- accounts
def account_from_xero(account: xm.Account) -> m.Account:
    return _record_from_xero(m.Account, account, "account_id", account_class=_value(account._class))


def account_to_xero(data: m.AccountCreate | m.AccountUpdate) -> xm.Account:
    fields = _given(data)
    account = xm.Account()
    for name in (
        "code",
        "name",
        "description",
        "tax_type",
        "bank_account_number",
        "bank_account_type",
        "enable_payments_to_account",
        "show_in_expense_claims",
        "reporting_code",
    ):
        if name in fields:
            setattr(account, name, fields[name])
    if "type" in fields:
        account.type = xm.AccountType(fields["type"])
    if fields.get("currency_code"):
        account.currency_code = xm.CurrencyCode(fields["currency_code"])
    return account


def account_status(status: str) -> xm.Account:
    account = xm.Account()
    account.status = status
    return account


# ---------------------------------------------------------------------------- contacts
def _parts_from_xero[P: BaseModel](
    model: type[P], parts: list[Any] | None, kind_field: str, kinds: tuple[str, ...]
) -> list[P]:
    """Xero's addresses or phones as `model`, leaving out the kinds `model` does not take."""
    fields = tuple(model.model_fields)
    return [
        model.model_validate(
            {f: _value(getattr(part, f)) for f in fields if getattr(part, f) is not None}
        )
        for part in parts or []
        if _value(getattr(part, kind_field)) in kinds
    ]


def contact_from_xero(contact: xm.Contact) -> m.Contact:
    return _record_from_xero(
        m.Contact,
        contact,
        "contact_id",
        status=_value(contact.contact_status),
        addresses=_parts_from_xero(
            m.Address, contact.addresses, "address_type", get_args(AddressType)
        ),
        phones=_parts_from_xero(m.Phone, contact.phones, "phone_type", get_args(PhoneType)),
    )


def contact_to_xero(
    data: m.ContactCreate | m.ContactUpdate, contact_id: str | None = None
) -> xm.Contact:
    fields = _given(data)
    contact = xm.Contact()
    if contact_id:
        contact.contact_id = contact_id
    for name in (
        "name",
        "contact_number",
        "account_number",
        "first_name",
        "last_name",
        "email_address",
        "tax_number",
        "website",
    ):
        if name in fields:
            setattr(contact, name, fields[name])
    if fields.get("default_currency"):
        contact.default_currency = xm.CurrencyCode(fields["default_currency"])
    if fields.get("addresses") is not None:
        contact.addresses = [
            xm.Address(**a.model_dump(exclude_none=True)) for a in fields["addresses"]
        ]
    if fields.get("phones") is not None:
        contact.phones = [xm.Phone(**p.model_dump(exclude_none=True)) for p in fields["phones"]]
    return contact


def contact_status(contact_id: str, status: str) -> xm.Contact:
    return xm.Contact(contact_id=contact_id, contact_status=status)


# ---------------------------------------------------------------------------- invoices
def _line_from_xero(line: xm.LineItem) -> m.LineItem:
    return _from_xero(
        m.LineItem,
        line,
        **_decimals(line, "quantity", "unit_amount", "tax_amount", "line_amount", "discount_rate"),
        tracking=[_from_xero(m.Tracking, t) for t in line.tracking or []],
    )


def invoice_from_xero(invoice: xm.Invoice) -> m.Invoice:
    contact = invoice.contact
    return _record_from_xero(
        m.Invoice,
        invoice,
        "invoice_id",
        contact=m.ContactRef(contact_id=contact.contact_id, name=contact.name) if contact else None,
        **_dates(invoice, "date", "due_date", "fully_paid_on_date"),
        line_items=[_line_from_xero(line) for line in invoice.line_items or []],
        **_decimals(
            invoice,
            "sub_total",
            "total_tax",
            "total",
            "amount_due",
            "amount_paid",
            "amount_credited",
        ),
    )


def _line_to_xero(line: m.LineItemIn) -> xm.LineItem:
    fields = _given(line)
    item = xm.LineItem(quantity=line.quantity)
    for name in ("line_item_id", "description", "item_code", "account_code", "tax_type"):
        if fields.get(name) is not None:
            setattr(item, name, fields[name])
    if line.unit_amount is not None:
        item.unit_amount = line.unit_amount
    if line.discount_rate is not None:
        item.discount_rate = line.discount_rate
    if line.tracking:
        item.tracking = [xm.LineItemTracking(name=t.name, option=t.option) for t in line.tracking]
    return item


def invoice_to_xero(
    data: m.InvoiceCreate | m.InvoiceUpdate, invoice_id: str | None = None
) -> xm.Invoice:
    fields = _given(data)
    invoice = xm.Invoice()
    if invoice_id:
        invoice.invoice_id = invoice_id
    if isinstance(data, m.InvoiceCreate):
        invoice.type = data.type
        invoice.status = data.status
        invoice.line_amount_types = xm.LineAmountTypes(data.line_amount_types)
    else:
        if fields.get("status"):
            invoice.status = fields["status"]
        if fields.get("line_amount_types"):
            invoice.line_amount_types = xm.LineAmountTypes(fields["line_amount_types"])
    if fields.get("contact_id"):
        invoice.contact = xm.Contact(contact_id=fields["contact_id"])
    for name in ("date", "due_date", "invoice_number", "reference"):
        if fields.get(name) is not None:
            setattr(invoice, name, fields[name])
    if fields.get("currency_code"):
        invoice.currency_code = xm.CurrencyCode(fields["currency_code"])
    if fields.get("line_items") is not None:
        invoice.line_items = [_line_to_xero(line) for line in data.line_items or []]
    return invoice


def invoice_status(invoice_id: str, status: str) -> xm.Invoice:
    return xm.Invoice(invoice_id=invoice_id, status=status)


# ---------------------------------------------------------------------------- items
def _details_from_xero(details: Any) -> m.ItemDetails | None:
    if details is None:
        return None
    return _from_xero(m.ItemDetails, details, unit_price=_decimal(details.unit_price))


def item_from_xero(item: xm.Item) -> m.Item:
    return _record_from_xero(
        m.Item,
        item,
        "item_id",
        sales_details=_details_from_xero(item.sales_details),
        purchase_details=_details_from_xero(item.purchase_details),
    )


def _details_to_xero(details: m.ItemDetailsIn) -> xm.Purchase:
    return xm.Purchase(**details.model_dump(exclude_none=True))


def item_to_xero(
    data: m.ItemCreate | m.ItemUpdate, item_id: str | None = None, current_code: str | None = None
) -> xm.Item:
    """Xero wants an item's Code on every write: an update without one keeps `current_code`."""
    fields = _given(data)
    item = xm.Item(code=fields.get("code") or current_code)
    if item_id:
        item.item_id = item_id
    for name in ("name", "description", "purchase_description", "is_sold", "is_purchased"):
        if fields.get(name) is not None:
            setattr(item, name, fields[name])
    for name in ("sales_details", "purchase_details"):
        if fields.get(name) is not None:
            setattr(item, name, _details_to_xero(fields[name]))
    return item


# ---------------------------------------------------------------------------- history
def history_from_xero(record: xm.HistoryRecord) -> m.HistoryRecord:
    return _from_xero(m.HistoryRecord, record, date=_datetime(record.date_utc))


def note_to_xero(note: m.NoteCreate) -> xm.HistoryRecords:
    return xm.HistoryRecords(history_records=[xm.HistoryRecord(details=note.details)])


# ---------------------------------------------------------------------------- attachments
def attachment_from_xero(data: dict[str, Any]) -> m.Attachment:
    """From Xero's JSON (attachments are fetched as JSON: see records.attachments)."""
    return m.Attachment(
        attachment_id=str(data.get("AttachmentID") or ""),
        file_name=str(data.get("FileName") or ""),
        mime_type=data.get("MimeType"),
        content_length=data.get("ContentLength"),
        include_online=data.get("IncludeOnline"),
    )
