"""The address book's actions: add, approve, delete, list — each one in the audit trail.

- **add** (admin): the supplier must be a contact of the organisation (read from Xero, its
  name kept for the approver); the entry waits for approval. A supplier, currency and chain
  has at most one entry waiting: adding another while one waits is a 409.
- **approve** (``payments:approve``): by someone other than who added it (403); it becomes
  the one approved entry of its slot, and the one approved before it is superseded.
- **delete** (admin): a waiting or approved entry stops being payable; nothing is erased.
"""

from __future__ import annotations

import uuid
from typing import Any

from xero_bridge.errors import ConflictError, ForbiddenError, NotFoundError, ValidationFailedError
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.payout_addresses.models import (
    PayoutAddressIn,
    PayoutAddressListOut,
    PayoutAddressOut,
)
from xero_bridge.persistence import audit
from xero_bridge.persistence import payout_addresses as store
from xero_bridge.persistence.payout_addresses import PayoutAddress, SlotTaken, StaleEntry

LIVE = ("pending_approval", "approved")


def _note(entry: PayoutAddress, action: str, actor: str, **details: Any) -> None:
    audit.append(
        tenant_id=entry.tenant_id,
        action=action,
        actor=actor,
        subject=audit.payout_address_subject(entry.tenant_id, entry.payout_address_id),
        details={
            "payout_address_id": entry.payout_address_id,
            "contact_id": entry.contact_id,
            "ccy": entry.ccy,
            "chain": entry.chain,
            "address": entry.address,
            "tag": entry.tag,
            **{k: v for k, v in details.items() if v is not None},
        },
    )


def require(tenant_id: str, payout_address_id: str) -> PayoutAddress:
    entry = store.get(tenant_id, payout_address_id)
    if entry is None:
        raise NotFoundError("no such payout address")
    return entry


def add(tenant_id: str, actor: str, request: PayoutAddressIn) -> PayoutAddressOut:
    contact = XeroPayments(tenant_id).contacts_by_ids([request.contact_id]).get(request.contact_id)
    if contact is None:
        raise ValidationFailedError(
            "no such contact in this organisation",
            [{"field": "contact_id", "problem": "not a contact of this organisation"}],
        )
    slot = store.slot(tenant_id, store.slot_key(request.contact_id, request.ccy, request.chain))
    entry = PayoutAddress(
        tenant_id=tenant_id,
        payout_address_id=f"pa_{uuid.uuid4().hex}",
        contact_id=request.contact_id,
        contact_name=contact.get("Name"),
        ccy=request.ccy,
        chain=request.chain,
        address=request.address,
        tag=request.tag,
        label=request.label,
        status="pending_approval",
        added_by=actor,
        added_at=store.now_iso(),
        replaces=slot.get("approved_id"),
    )
    try:
        store.add(entry)
    except (SlotTaken, StaleEntry):
        waiting = store.slot(tenant_id, entry.slot).get("pending_id")
        raise ConflictError(
            f"another {request.ccy} address on {request.chain} for this supplier waits for"
            " approval: approve or delete it first",
            [{"pending_payout_address_id": waiting}],
        ) from None
    _note(entry, "address_added", actor, label=entry.label, replaces=entry.replaces)
    return PayoutAddressOut.of(entry)


def approve(tenant_id: str, actor: str, payout_address_id: str) -> PayoutAddressOut:
    entry = require(tenant_id, payout_address_id)
    if entry.added_by == actor:
        raise ForbiddenError("an address must be approved by someone other than who added it")
    if entry.status == "approved" and entry.approved_by == actor:
        return PayoutAddressOut.of(entry)  # approved before, by this person
    if entry.status != "pending_approval":
        raise ConflictError(
            f"the address is {entry.status}: it cannot be approved", [{"status": entry.status}]
        )
    previous = store.slot(tenant_id, entry.slot).get("approved_id")
    try:
        store.approve(entry, actor, previous)
    except (SlotTaken, StaleEntry):
        raise ConflictError("the address changed meanwhile: read it again") from None
    approved = require(tenant_id, payout_address_id)
    _note(approved, "address_approved", actor, supersedes=previous)
    if previous:
        old = store.get(tenant_id, previous)
        if old is not None:
            _note(old, "address_superseded", actor, superseded_by=payout_address_id)
    return PayoutAddressOut.of(approved)


def delete(tenant_id: str, actor: str, payout_address_id: str) -> PayoutAddressOut:
    entry = require(tenant_id, payout_address_id)
    if entry.status not in LIVE:
        return PayoutAddressOut.of(entry)  # deleted or superseded already: nothing to do
    try:
        store.delete(entry, actor)
    except (SlotTaken, StaleEntry):
        raise ConflictError("the address changed meanwhile: read it again") from None
    deleted = require(tenant_id, payout_address_id)
    _note(deleted, "address_deleted", actor, was=entry.status)
    return PayoutAddressOut.of(deleted)


def listing(
    tenant_id: str, *, status: str | None = None, contact_id: str | None = None
) -> PayoutAddressListOut:
    entries = [
        e
        for e in store.list_entries(tenant_id)
        if (status is None or e.status == status)
        and (contact_id is None or e.contact_id == contact_id.lower())
    ]
    return PayoutAddressListOut(
        payout_addresses=[PayoutAddressOut.of(e) for e in entries], page=None, next_page=None
    )
