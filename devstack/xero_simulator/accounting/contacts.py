"""Contacts: list, get, create (PUT), create-or-update (POST), update, archive."""

from __future__ import annotations

from flask import Blueprint

from ..context import SimContext
from ..problems import ValidationFailed
from ..state import Record, TenantBook, new_id
from .common import UnitOfWork, copy_fields, flag_attachments, get_record
from .resource import Resource, serve

EDITABLE = (
    "Name",
    "FirstName",
    "LastName",
    "EmailAddress",
    "ContactNumber",
    "AccountNumber",
    "CompanyNumber",
    "BankAccountDetails",
    "TaxNumber",
    "AccountsReceivableTaxType",
    "AccountsPayableTaxType",
    "Addresses",
    "Phones",
    "IsSupplier",
    "IsCustomer",
    "DefaultCurrency",
    "ContactPersons",
    "Website",
    "PaymentTerms",
)
STATUSES = {"ACTIVE", "ARCHIVED", "GDPRREQUEST"}


render_contact = flag_attachments("Contacts")


def _apply(work: UnitOfWork, contact: Record, raw: Record) -> None:
    copy_fields(contact, raw, EDITABLE)
    status = raw.get("ContactStatus")
    if status is not None:
        if status not in STATUSES:
            raise ValidationFailed([f"ContactStatus '{status}' is not valid"])
        contact["ContactStatus"] = status
    name = (contact.get("Name") or "").strip()
    if not name:
        raise ValidationFailed(["The contact name must be specified"])
    for other in work.book.table("Contacts").values():
        clash = other["ContactID"] != contact["ContactID"] and other.get("Name") == name
        if clash and other.get("ContactStatus") == "ACTIVE":
            raise ValidationFailed(
                [
                    f"The contact name {name} is already assigned to another contact. "
                    "The contact name must be unique across all active contacts."
                ]
            )


def new_contact(work: UnitOfWork, raw: Record) -> Record:
    contact: Record = {
        "ContactID": new_id(),
        "ContactStatus": "ACTIVE",
        "Addresses": [],
        "Phones": [],
        "IsSupplier": False,
        "IsCustomer": False,
        "ContactGroups": [],
        "ContactPersons": [],
    }
    _apply(work, contact, raw)
    work.book.add("Contacts", work.stamp(contact))
    work.history(contact["ContactID"], "Created", f"Contact {contact['Name']} created.")
    work.event("CONTACT", contact["ContactID"], "CREATE")
    work.created("Contacts", contact)
    return contact


def update_contact(work: UnitOfWork, contact: Record, raw: Record) -> Record:
    _apply(work, contact, raw)
    work.stamp(contact)
    work.history(contact["ContactID"], "Updated", "Contact updated.")
    work.event("CONTACT", contact["ContactID"], "UPDATE")
    return contact


def _create_or_update(work: UnitOfWork, raw: Record) -> Record:
    contact_id = str(raw.get("ContactID") or "").lower()
    if contact_id:
        return update_contact(work, get_or_fail(work.book, contact_id), raw)
    existing = work.book.find_by("Contacts", "Name", raw.get("Name"))
    if existing is not None:
        return update_contact(work, existing, raw)
    return new_contact(work, raw)


def get_or_fail(book: TenantBook, contact_id: str) -> Record:
    contact = book.table("Contacts").get(contact_id)
    if contact is None:
        raise ValidationFailed([f"Contact with ContactID {contact_id} could not be found"])
    return contact


def find_contact(book: TenantBook, ref: str) -> Record:
    """By ContactID, or by ContactNumber (Xero accepts either in the path)."""
    contact = book.table("Contacts").get(ref.lower()) or book.find_by(
        "Contacts", "ContactNumber", ref
    )
    return contact if contact is not None else get_record(book, "Contacts", ref)


def register(bp: Blueprint, sim: SimContext) -> None:
    serve(
        bp,
        sim,
        Resource(
            "Contacts",
            render_contact,
            find=find_contact,
            put=new_contact,
            post=_create_or_update,
            update=update_contact,
        ),
    )
