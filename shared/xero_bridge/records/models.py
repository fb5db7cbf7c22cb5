"""The records API's own shapes: snake_case, money as decimal strings, ISO 8601 dates.

Input models (`…Create`, `…Update`) refuse unknown fields and money with more decimals than
Xero keeps; output models are what the routes answer. The field types (money and unit
amounts as decimal strings, text limits, enumerations) are in `records.fields`; mapping to
and from xero-python's models is in `records.mapping`.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from xero_bridge.records.fields import (
    AccountName,
    AccountType,
    AddressType,
    Code,
    ContactName,
    ContactNumber,
    CurrencyCode,
    Email,
    Guid,
    InvoiceType,
    ItemName,
    LineAmountTypes,
    Money,
    NewInvoiceStatus,
    PhoneType,
    ShortText,
    Text,
    Unit,
    UnitIn,
)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


# ---------------------------------------------------------------------------- accounts
class Account(_Out):
    account_id: str
    code: str | None = None
    name: str | None = None
    type: str | None = None
    account_class: str | None = None
    status: str | None = None
    description: str | None = None
    tax_type: str | None = None
    bank_account_number: str | None = None
    bank_account_type: str | None = None
    currency_code: str | None = None
    enable_payments_to_account: bool | None = None
    show_in_expense_claims: bool | None = None
    reporting_code: str | None = None
    system_account: str | None = None
    has_attachments: bool | None = None
    updated_at: datetime | None = None


class AccountCreate(_In):
    code: Code
    name: AccountName
    type: AccountType
    description: Text | None = None
    tax_type: Code | None = None
    bank_account_number: ShortText | None = None
    bank_account_type: Literal["BANK", "CREDITCARD", "PAYPAL"] | None = None
    currency_code: CurrencyCode | None = None
    enable_payments_to_account: bool | None = None
    show_in_expense_claims: bool | None = None
    reporting_code: ShortText | None = None


class AccountUpdate(_In):
    code: Code | None = None
    name: AccountName | None = None
    description: Text | None = None
    tax_type: Code | None = None
    bank_account_number: ShortText | None = None
    enable_payments_to_account: bool | None = None
    show_in_expense_claims: bool | None = None
    reporting_code: ShortText | None = None


class AccountList(_Out):
    accounts: list[Account]
    page: int
    next_page: int | None


# ---------------------------------------------------------------------------- contacts
# Address and Phone are sent by callers and also answered (read from Xero through them).
class Address(_In):
    address_type: AddressType
    address_line1: str | None = Field(None, max_length=500)
    address_line2: str | None = Field(None, max_length=500)
    address_line3: str | None = Field(None, max_length=500)
    address_line4: str | None = Field(None, max_length=500)
    city: str | None = Field(None, max_length=255)
    region: str | None = Field(None, max_length=255)
    postal_code: str | None = Field(None, max_length=50)
    country: str | None = Field(None, max_length=50)
    attention_to: str | None = Field(None, max_length=255)


class Phone(_In):
    phone_type: PhoneType
    phone_number: str | None = Field(None, max_length=50)
    phone_area_code: str | None = Field(None, max_length=10)
    phone_country_code: str | None = Field(None, max_length=20)


class Contact(_Out):
    contact_id: str
    contact_number: str | None = None
    account_number: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email_address: str | None = None
    status: str | None = None
    is_customer: bool | None = None
    is_supplier: bool | None = None
    tax_number: str | None = None
    default_currency: str | None = None
    website: str | None = None
    addresses: list[Address] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)
    has_attachments: bool | None = None
    updated_at: datetime | None = None


# The fields a contact create or update may send. No docstring here: it would not reach the
# subclasses' OpenAPI schemas anyway, and each subclass stays a schema of its own name.
class _ContactFields(_In):
    name: ContactName | None = None
    contact_number: ContactNumber | None = None
    account_number: ContactNumber | None = None
    first_name: ShortText | None = None
    last_name: ShortText | None = None
    email_address: Email | None = None
    tax_number: ContactNumber | None = None
    default_currency: CurrencyCode | None = None
    website: ShortText | None = None
    addresses: list[Address] | None = Field(None, max_length=3)
    phones: list[Phone] | None = Field(None, max_length=5)


class ContactCreate(_ContactFields):
    name: ContactName  # required on create; an overridden field keeps its place (first)


class ContactUpdate(_ContactFields):
    pass


class ContactList(_Out):
    contacts: list[Contact]
    page: int
    next_page: int | None


class ContactUpsert(_In):
    """Up to 100 contacts; each matches an existing one by contact_number, else by name."""

    contacts: list[ContactCreate] = Field(min_length=1, max_length=100)


class ContactUpsertResult(_Out):
    created: list[Contact]
    updated: list[Contact]
    unchanged: list[Contact]


# ---------------------------------------------------------------------------- invoices
class Tracking(_Out):
    name: str | None = None
    option: str | None = None
    tracking_category_id: str | None = None
    tracking_option_id: str | None = None


class TrackingIn(_In):
    name: ShortText
    option: ShortText


class LineItem(_Out):
    line_item_id: str | None = None
    description: str | None = None
    quantity: Unit | None = None
    unit_amount: Unit | None = None
    item_code: str | None = None
    account_code: str | None = None
    tax_type: str | None = None
    tax_amount: Money | None = None
    line_amount: Money | None = None
    discount_rate: Unit | None = None
    tracking: list[Tracking] = Field(default_factory=list)


class LineItemIn(_In):
    line_item_id: Guid | None = None
    description: Text | None = None
    quantity: UnitIn = Decimal("1")
    unit_amount: UnitIn | None = None
    item_code: Code | None = None
    account_code: Code | None = None
    tax_type: Code | None = None
    discount_rate: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)] | None = None
    tracking: list[TrackingIn] = Field(default_factory=list, max_length=2)


class ContactRef(_Out):
    contact_id: str | None = None
    name: str | None = None


class Invoice(_Out):
    invoice_id: str
    type: str | None = None
    invoice_number: str | None = None
    reference: str | None = None
    status: str | None = None
    contact: ContactRef | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    currency_code: str | None = None
    line_amount_types: str | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    sub_total: Money | None = None
    total_tax: Money | None = None
    total: Money | None = None
    amount_due: Money | None = None
    amount_paid: Money | None = None
    amount_credited: Money | None = None
    fully_paid_on_date: dt.date | None = None
    sent_to_contact: bool | None = None
    has_attachments: bool | None = None
    updated_at: datetime | None = None


class InvoiceCreate(_In):
    type: InvoiceType
    contact_id: Guid
    status: NewInvoiceStatus = "DRAFT"
    date: dt.date | None = None
    due_date: dt.date | None = None
    invoice_number: ShortText | None = None
    reference: ShortText | None = None
    currency_code: CurrencyCode | None = None
    line_amount_types: LineAmountTypes = "Exclusive"
    line_items: list[LineItemIn] = Field(min_length=1, max_length=500)


class InvoiceUpdate(_In):
    contact_id: Guid | None = None
    status: NewInvoiceStatus | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    invoice_number: ShortText | None = None
    reference: ShortText | None = None
    line_amount_types: LineAmountTypes | None = None
    line_items: list[LineItemIn] | None = Field(None, min_length=1, max_length=500)


class InvoiceList(_Out):
    invoices: list[Invoice]
    page: int
    next_page: int | None


# ---------------------------------------------------------------------------- items
class ItemDetails(_Out):
    unit_price: Unit | None = None
    account_code: str | None = None
    tax_type: str | None = None
    cogs_account_code: str | None = None


class ItemDetailsIn(_In):
    unit_price: UnitIn | None = None
    account_code: Code | None = None
    tax_type: Code | None = None
    cogs_account_code: Code | None = None


class Item(_Out):
    item_id: str
    code: str | None = None
    name: str | None = None
    description: str | None = None
    purchase_description: str | None = None
    is_sold: bool | None = None
    is_purchased: bool | None = None
    is_tracked_as_inventory: bool | None = None
    sales_details: ItemDetails | None = None
    purchase_details: ItemDetails | None = None
    updated_at: datetime | None = None


# The fields an item create or update may send (as `_ContactFields`).
class _ItemFields(_In):
    code: Code | None = None
    name: ItemName | None = None
    description: Text | None = None
    purchase_description: Text | None = None
    is_sold: bool | None = None
    is_purchased: bool | None = None
    sales_details: ItemDetailsIn | None = None
    purchase_details: ItemDetailsIn | None = None


class ItemCreate(_ItemFields):
    # required on create; overridden fields keep their places (first)
    code: Code
    name: ItemName


class ItemUpdate(_ItemFields):
    pass


class ItemList(_Out):
    items: list[Item]
    page: int
    next_page: int | None


# ---------------------------------------------------------------------------- history
class HistoryRecord(_Out):
    changes: str | None = None
    details: str | None = None
    user: str | None = None
    date: datetime | None = None


class HistoryList(_Out):
    history: list[HistoryRecord]
    page: int = 1
    next_page: int | None = None


class NoteCreate(_In):
    details: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2500)]


# ---------------------------------------------------------------------------- attachments
class Attachment(_Out):
    attachment_id: str
    file_name: str
    mime_type: str | None = None
    content_length: int | None = None
    include_online: bool | None = None


class AttachmentList(_Out):
    attachments: list[Attachment]
    page: int = 1
    next_page: int | None = None


class AttachmentUpload(_In):
    file_name: Annotated[
        str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^/\\?#%\x00-\x1f]+$")
    ]
    mime_type: Annotated[str, StringConstraints(min_length=3, max_length=100)]
    content_base64: str = Field(min_length=1)
    include_online: bool = False


class AttachmentContent(BaseModel):
    file_name: str
    mime_type: str
    content: bytes


# ---------------------------------------------------------------------------- raw
class RawRequest(_In):
    method: Literal["GET", "PUT", "POST", "DELETE"]
    path: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    query: dict[str, Annotated[str, StringConstraints(max_length=2000)]] = Field(
        default_factory=dict, max_length=20
    )
    body: dict[str, object] | list[object] | None = None


class RawResponse(BaseModel):
    status: int
    body: object | None = None
