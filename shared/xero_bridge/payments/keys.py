"""Deterministic identities derived from (tenant, the caller's Idempotency-Key — read and
checked by `xero_bridge.http.request.idempotency_key`).

- ``payment_id_for``: our payment id (a UUIDv5), so a retry finds the first attempt's record.
- ``xero_idempotency_key``: what we send as Xero's ``Idempotency-Key`` (Xero remembers it for
  6 minutes; our record covers the rest).
- ``reference_tag``: ``xb:<16 hex>`` appended to the Reference we give Xero, so a payment whose
  outcome we never learned can be found at Xero before anything is sent again.
"""

from __future__ import annotations

import hashlib
import uuid

_NAMESPACE = uuid.UUID("6f0b8f57-3f5e-4f4e-9d7b-5c1f0f5a7e21")


def payment_id_for(tenant_id: str, key: str, index: int | None = None) -> str:
    name = f"{tenant_id}\n{key}" if index is None else f"{tenant_id}\n{key}\n{index}"
    return str(uuid.uuid5(_NAMESPACE, name))


def batch_id_for(tenant_id: str, key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"batch\n{tenant_id}\n{key}"))


def xero_idempotency_key(tenant_id: str, *parts: str) -> str:
    digest = hashlib.sha256("\n".join((tenant_id, *parts)).encode()).hexdigest()
    return f"xb-{digest}"  # 67 characters; Xero allows 128


def reference_tag(tenant_id: str, payment_id: str) -> str:
    digest = hashlib.sha256(f"{tenant_id}\n{payment_id}".encode()).hexdigest()
    return f"xb:{digest[:16]}"


def xero_reference(reference: str | None, tag: str) -> str:
    return f"{reference} {tag}" if reference else tag


_RAIL_NAMESPACE = uuid.UUID("0d6b1f4e-9c2a-4a7e-8f35-2b9d6c1e7a40")
_END_TO_END = "XB"


def rail_key_for(tenant_id: str, payment_id: str) -> str:
    """Our reference for a payment at a money-moving provider (a UUID; Solaris's
    ``reference``, its idempotency key), known before anything is sent, so that a lost answer
    can be looked up and a callback mapped back to the payment."""
    return str(uuid.uuid5(_RAIL_NAMESPACE, f"{tenant_id}\n{payment_id}"))


def end_to_end_id(rail_key: str) -> str:
    """The SEPA end-to-end id of the transfer (34 characters; SEPA allows 35): it travels
    with the money to the payee's bank and back in Solaris's booking."""
    return _END_TO_END + uuid.UUID(rail_key).hex


def rail_key_of_end_to_end_id(value: str) -> str | None:
    """The rail key an end-to-end id of ours carries, or None for anyone else's."""
    if not value.startswith(_END_TO_END) or len(value) != 34:
        return None
    try:
        return str(uuid.UUID(hex=value[len(_END_TO_END) :]))
    except ValueError:
        return None
