"""The payout address of an OKX payment: approved in the address book, the bill's supplier's,
for the payment's currency and chain — checked before the payment is stored, and again (still
approved, not changed) right before the withdrawal. Refused before OKX is called otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from xero_bridge.persistence import payout_addresses as address_book
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.errors import PayoutAddressNotApprovedError

ADDRESS_FIELDS = (
    "payout_address_id",
    "contact_id",
    "contact_name",
    "ccy",
    "chain",
    "address",
    "tag",
    "label",
    "added_by",
    "added_at",
    "approved_by",
    "approved_at",
)


def approved_address(
    tenant_id: str, address_id: str, contact_id: str | None, ccy: str, chain: str
) -> dict[str, Any]:
    """The book's entry `address_id` (as kept on the payment), approved for `ccy` on `chain`
    and, when the bill names its contact, that supplier's."""
    entry = address_book.get(tenant_id, address_id)
    problem = _address_problem(entry, ccy, chain)
    if problem is None and entry is not None and contact_id and entry.contact_id != contact_id:
        problem = "it is another supplier's address, not the bill's"
    if problem is not None:
        raise PayoutAddressNotApprovedError(
            f"the payout address cannot be paid: {problem}; nothing was sent",
            [
                {
                    "field": "crypto.address_id",
                    "payout_address_id": address_id,
                    "status": entry.status if entry else None,
                }
            ],
        )
    assert entry is not None
    return {name: getattr(entry, name) for name in ADDRESS_FIELDS}


def check_still_approved(payment: PaymentRecord) -> None:
    """The payment's address is still approved in the book, and still the same address."""
    address = (payment.rail_data or {}).get("address") or {}
    entry = address_book.get(payment.tenant_id, str(address.get("payout_address_id")))
    problem = _address_problem(entry, str(address.get("ccy")), str(address.get("chain")))
    if problem is None and entry is not None and entry.address != address.get("address"):
        problem = "the address changed"
    if problem is not None:
        raise PayoutAddressNotApprovedError(
            f"the payout address cannot be paid any more: {problem}; nothing was sent",
            [
                {
                    "payout_address_id": address.get("payout_address_id"),
                    "status": entry.status if entry else None,
                }
            ],
        )


def _address_problem(entry: Any, ccy: str, chain: str) -> str | None:
    if entry is None:
        return "there is no such address in the book"
    if entry.status != "approved":
        return f"it is {entry.status.replace('_', ' ')}, not approved"
    if (entry.ccy, entry.chain) != (ccy, chain):
        return f"it is a {entry.ccy} address on {entry.chain}, not {ccy} on {chain}"
    return None


def audit_of(address: dict[str, Any], quote: dict[str, Any]) -> dict[str, Any]:
    """What the first audit entry says: the address with its approval, and the quote."""
    return {
        "quote_id": quote["quote_id"],
        "pair": quote["pair"],
        "rate": quote["price"],
        "price_at": quote["price_at"],
        "quoted_at": quote["quoted_at"],
        "expires_at": quote["expires_at"],
        "crypto_amount": quote["crypto_amount"],
        "ccy": quote["ccy"],
        "chain": quote["chain"],
        "fee": quote["fee"],
        "payout_address_id": address["payout_address_id"],
        "address": address["address"],
        "tag": address.get("tag"),
        "address_added_by": address["added_by"],
        "address_approved_by": address["approved_by"],
        "address_approved_at": address["approved_at"],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
