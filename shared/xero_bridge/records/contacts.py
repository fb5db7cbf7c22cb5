"""Contacts: list, get, create, update, archive, and a bulk upsert that is safe to repeat.

Upsert matches each given contact to an existing one by `contact_number`, else by `name`
(case-insensitive, as Xero's unique-name rule is): no match → created; a match whose given
fields differ → updated; a match that already holds every given value → unchanged, and not
sent. So running the same upsert twice writes nothing the second time. All creates and
updates go to Xero in one call (all or nothing: a 422 lists Xero's messages).

A GET of one contact may be answered from a fresh, complete snapshot (`read_contact`, see
`records.snapshot_reads`). Writes to existing contacts fence their snapshots and every invoice
snapshot of the tenant (an invoice carries its contact's name), so none of ours is followed
by an older answer.
"""

from __future__ import annotations

from typing import Any

from xero_python.accounting import models as xm

from xero_bridge import snapshot_fences as fences
from xero_bridge.errors import BadRequestError
from xero_bridge.records import mapping
from xero_bridge.records import models as m
from xero_bridge.records import snapshot_reads as reads
from xero_bridge.records.query import ContactQuery, contact_args, literal
from xero_bridge.records.results import idempotency, listed, only, record_json
from xero_bridge.xero.client import accounting_api, xero_call

# Names and numbers per lookup call: keeps the `where` (and the URL) short.
LOOKUP_CHUNK = 25


def list_contacts(tenant_id: str, query: ContactQuery) -> m.ContactList:
    contacts, following = listed(
        tenant_id, "get_contacts", contact_args(query), "contacts", mapping.contact_from_xero, query
    )
    return m.ContactList(contacts=contacts, page=query.page, next_page=following)


def read_contact(
    tenant_id: str, contact_id: str, policy: reads.ReadPolicy
) -> reads.Sourced[m.Contact]:
    """One contact, from a fresh, complete snapshot when `policy` allows, else from Xero."""
    return reads.read_one(
        tenant_id,
        "CONTACT",
        contact_id,
        policy,
        lambda: record_json(tenant_id, "get_contact", contact_id, "Contacts", "contact"),
        contact_from_json,
    )


def get_contact(tenant_id: str, contact_id: str) -> m.Contact:
    """One contact from Xero (no snapshot)."""
    return read_contact(tenant_id, contact_id, reads.LIVE).value


def contact_from_json(record: dict[str, Any]) -> m.Contact:
    """Our contact from Xero's JSON of one (a live answer or a snapshot's data)."""
    answer = reads.xero_models("CONTACT", record)
    return mapping.contact_from_xero(only(answer.contacts, "contact"))


def _changing(contact_ids: list[str]) -> list[tuple[str, str | None]]:
    """The snapshots a write to these contacts may change: theirs, and every invoice's."""
    changing: list[tuple[str, str | None]] = [("CONTACT", c) for c in contact_ids]
    return [*changing, ("INVOICE", fences.ALL)]


def create_contact(
    tenant_id: str, data: m.ContactCreate, idempotency_key: str | None = None
) -> m.Contact:
    api = accounting_api(tenant_id)
    body = xm.Contacts(contacts=[mapping.contact_to_xero(data)])
    extra = idempotency(idempotency_key)
    answer = xero_call(lambda: api.create_contacts(tenant_id, body, **extra))
    return mapping.contact_from_xero(only(answer.contacts, "contact"))


def update_contact(tenant_id: str, contact_id: str, data: m.ContactUpdate) -> m.Contact:
    return _post(tenant_id, contact_id, mapping.contact_to_xero(data, contact_id))


def archive_contact(tenant_id: str, contact_id: str) -> m.Contact:
    return _post(tenant_id, contact_id, mapping.contact_status(contact_id, "ARCHIVED"))


def _post(tenant_id: str, contact_id: str, contact: xm.Contact) -> m.Contact:
    api = accounting_api(tenant_id)
    body = xm.Contacts(contacts=[contact])
    with fences.writing(tenant_id, _changing([contact_id])):
        answer = xero_call(lambda: api.update_contact(tenant_id, contact_id, body))
    return mapping.contact_from_xero(only(answer.contacts, "contact"))


# ---------------------------------------------------------------------------- upsert
def _key(text: str | None) -> str:
    return (text or "").strip().casefold()


def _existing(tenant_id: str, wanted: list[m.ContactCreate]) -> list[m.Contact]:
    """Active contacts whose number or name is among `wanted` (a few calls, not a scan)."""
    api = accounting_api(tenant_id)
    clauses: list[str] = []
    for contact in wanted:
        if contact.contact_number:
            clauses.append(f"ContactNumber=={literal(contact.contact_number)}")
        clauses.append(f"Name.ToLower()=={literal(contact.name.lower())}")
    found: list[m.Contact] = []
    for start in range(0, len(clauses), LOOKUP_CHUNK):
        where = " OR ".join(clauses[start : start + LOOKUP_CHUNK])
        answer = _lookup(api, tenant_id, where)
        found.extend(mapping.contact_from_xero(c) for c in (answer.contacts or []))
    return found


def _lookup(api: Any, tenant_id: str, where: str) -> Any:
    return xero_call(lambda: api.get_contacts(tenant_id, where=where))


def _differs(given: m.ContactCreate, current: m.Contact) -> bool:
    for name in given.model_fields_set:
        value = getattr(given, name)
        if name in ("addresses", "phones"):
            kind = "address_type" if name == "addresses" else "phone_type"
            have = {getattr(x, kind): x for x in getattr(current, name)}
            for wanted in value or []:
                held = have.get(getattr(wanted, kind))
                fields = wanted.model_dump(exclude_none=True)
                if held is None or any(
                    (getattr(held, f) or "") != v for f, v in fields.items() if f != kind
                ):
                    return True
            continue
        if value is not None and getattr(current, name) != value:
            return True
    return False


def _check_unique(contacts: list[m.ContactCreate]) -> None:
    seen: dict[str, int] = {}
    for index, contact in enumerate(contacts):
        for key in (f"name:{_key(contact.name)}", f"number:{_key(contact.contact_number)}"):
            if key.endswith(":"):
                continue
            if key in seen:
                raise BadRequestError(
                    "the same contact is given twice",
                    [{"field": f"contacts.{index}", "same_as": f"contacts.{seen[key]}"}],
                )
            seen[key] = index


def upsert_contacts(
    tenant_id: str, request: m.ContactUpsert, idempotency_key: str | None = None
) -> m.ContactUpsertResult:
    _check_unique(request.contacts)
    existing = _existing(tenant_id, request.contacts)
    by_number = {_key(c.contact_number): c for c in existing if c.contact_number}
    by_name = {_key(c.name): c for c in existing if c.status in (None, "ACTIVE")}
    unchanged: list[m.Contact] = []
    writes: list[tuple[str, Any]] = []  # ("created" | "updated", xero contact)
    for given in request.contacts:
        match = by_number.get(_key(given.contact_number)) if given.contact_number else None
        match = match or by_name.get(_key(given.name))
        if match is None:
            writes.append(("created", mapping.contact_to_xero(given)))
        elif _differs(given, match):
            writes.append(("updated", mapping.contact_to_xero(given, match.contact_id)))
        else:
            unchanged.append(match)
    created: list[m.Contact] = []
    updated: list[m.Contact] = []
    if writes:
        api = accounting_api(tenant_id)
        body = xm.Contacts(contacts=[contact for _, contact in writes])
        extra = idempotency(idempotency_key)
        updating = [str(c.contact_id) for outcome, c in writes if outcome == "updated"]
        with fences.writing(tenant_id, _changing(updating) if updating else []):
            answer = xero_call(lambda: api.update_or_create_contacts(tenant_id, body, **extra))
        results = list(answer.contacts or [])
        for (outcome, _), result in zip(writes, results, strict=False):
            contact = mapping.contact_from_xero(only([result], "contact"))
            (created if outcome == "created" else updated).append(contact)
    return m.ContactUpsertResult(created=created, updated=updated, unchanged=unchanged)
