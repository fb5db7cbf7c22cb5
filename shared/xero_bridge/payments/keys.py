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
