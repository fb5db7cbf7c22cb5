"""Customers and their bank accounts."""

from __future__ import annotations

from ..context import Sim
from ..errors import FieldErrors, invalid_api_usage
from ..schemes import bank_details
from ..store import Record
from ..validation import email, metadata, text
from ..wire import new_resource

NAME_FIELDS = ("given_name", "family_name", "company_name")
ADDRESS_FIELDS = (
    "address_line1",
    "address_line2",
    "address_line3",
    "city",
    "region",
    "postal_code",
)
OTHER_FIELDS = ("phone_number", "language", "danish_identity_number", "swedish_identity_number")


def customer_fields(errors: FieldErrors, data: Record) -> Record:
    """The customer fields present in `data`, checked."""
    fields: Record = {}
    for name in (*NAME_FIELDS, *ADDRESS_FIELDS, *OTHER_FIELDS):
        if name in data:
            fields[name] = text(errors, data, name)
    if "email" in data:
        fields["email"] = email(errors, data)
    if "country_code" in data:
        code = text(errors, data, "country_code", max_length=2)
        if code is not None and (len(code) != 2 or not code.isalpha() or not code.isupper()):
            errors.add("country_code", "is invalid")
        fields["country_code"] = code
    if "metadata" in data:
        fields["metadata"] = metadata(errors, data)
    return fields


def blank_customer(sim: Sim) -> Record:
    return new_resource(
        "customers",
        sim.clock.now(),
        {
            "email": None,
            "given_name": None,
            "family_name": None,
            "company_name": None,
            **{name: None for name in (*ADDRESS_FIELDS, *OTHER_FIELDS)},
            "country_code": None,
            "language": "en",
            "metadata": {},
        },
    )


def create_customer(sim: Sim, data: Record) -> Record:
    errors = FieldErrors("customers")
    fields = customer_fields(errors, data)
    if not (fields.get("given_name") and fields.get("family_name")) and not fields.get(
        "company_name"
    ):
        errors.add("given_name", "is required unless company_name is provided")
    errors.raise_if_any()
    record = blank_customer(sim)
    record.update({k: v for k, v in fields.items() if v is not None})
    return sim.store.add("customers", record)


def create_bank_account(sim: Sim, data: Record, envelope: str = "customer_bank_accounts") -> Record:
    errors = FieldErrors(envelope)
    links = data.get("links") if isinstance(data.get("links"), dict) else {}
    customer_id = links.get("customer") if links else None
    if not customer_id:
        errors.add("links.customer", "is required")
    meta = metadata(errors, data)
    checked = bank_details(errors, data)
    errors.raise_if_any()
    assert checked is not None
    customer = sim.store.require("customers", customer_id)
    scheme, account = checked
    for existing in sim.store.all("customer_bank_accounts"):
        same = existing["_number"] == account["_number"] and existing["enabled"]
        if same and existing["links"]["customer"] == customer["id"]:
            error = invalid_api_usage(409, "bank_account_exists", "Bank account already exists")
            error.error_type = "validation_failed"
            error.errors[0]["links"] = {"customer_bank_account": existing["id"]}
            raise error
    now = sim.clock.now()
    record = new_resource(
        "customer_bank_accounts",
        now,
        {
            **account,
            "enabled": True,
            "metadata": meta,
            "links": {"customer": customer["id"]},
            "_scheme": scheme.name,
        },
    )
    return sim.store.add("customer_bank_accounts", record)
