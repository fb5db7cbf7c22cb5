"""Our withdrawal, and what OKX's word about it means for the payment.

The body is rebuilt from the payment each time it is sent: the approved quote's crypto
amount (``amt`` excludes the fee, which OKX takes on top), the approved address (``toAddr``,
``address:tag`` where the chain has a tag or memo), ``dest: "4"`` (on chain) and ``clientId``
— our rail key without its dashes (32 letters and digits, OKX's limit), so every send of one
payment is the same withdrawal and a lost answer is found again by it.

| OKX's state | means | the payment |
|---|---|---|
| 0, 10, 17, 19, 7 | pending (waiting, travel rule, hot wallet, approved) | ``executing`` |
| 4, 5, 6, 8, 9, 12 | waiting for OKX's manual review | ``executing`` (``manual_review``) |
| 1, 15, 16, -3 | broadcasting, validating, delayed by regulation, cancelling | ``executing`` |
| 2 | success: the chain confirmed it (``txId``) | ``settled`` |
| -1 | failed | ``failed`` (nothing reaches Xero) |
| -2 | cancelled | ``cancelled`` (nothing reaches Xero) |
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailOutcome
from xero_bridge.rails.errors import DeclinedError, failure_of

ON_CHAIN = "4"
SUCCESS, FAILED, CANCELLED = "2", "-1", "-2"
MANUAL_REVIEW = frozenset({"4", "5", "6", "8", "9", "12"})
IN_PROGRESS = frozenset({"1", "15", "16", "-3"})
LABELS = {
    "0": "waiting withdrawal",
    "10": "waiting transfer",
    "17": "pending response from the Travel Rule vendor",
    "19": "insufficient balance in OKX's hot wallet",
    "4": "waiting manual review",
    "5": "waiting manual review",
    "6": "waiting manual review",
    "8": "waiting manual review",
    "9": "waiting manual review",
    "12": "waiting manual review",
    "7": "approved",
    "1": "broadcasting to the chain",
    "15": "pending transaction validation",
    "16": "delayed by local laws and regulations",
    "-3": "cancelling",
    "2": "success",
    "-1": "failed",
    "-2": "cancelled",
}


def client_id(rail_key: str) -> str:
    """OKX's clientId of a payment's withdrawal: its rail key's 32 hex digits."""
    return uuid.UUID(rail_key).hex


def to_address(address: dict[str, Any]) -> str:
    tag = str(address.get("tag") or "")
    return f"{address['address']}:{tag}" if tag else str(address["address"])


def body_of(record: PaymentRecord) -> dict[str, str]:
    data = record.rail_data or {}
    quote, address = data["quote"], data["address"]
    assert record.rail_key, "an OKX payment has its reference from the start"
    return {
        "ccy": str(quote["ccy"]),
        "amt": str(quote["crypto_amount"]),
        "dest": ON_CHAIN,
        "toAddr": to_address(address),
        "chain": str(quote["chain"]),
        "clientId": client_id(record.rail_key),
    }


def stage(state: str) -> str:
    if state in (SUCCESS, FAILED, CANCELLED):
        return "final"
    return "in_progress" if state in IN_PROGRESS else "pending"


def withdrawal_data(row: dict[str, Any]) -> dict[str, Any]:
    """What the payment keeps of a withdrawal (and its answer shows)."""
    state = str(row.get("state", "0"))
    kept = {
        "wd_id": str(row.get("wdId") or ""),
        "client_id": str(row.get("clientId") or ""),
        "state": state,
        "state_label": LABELS.get(state, f"state {state}"),
        "stage": stage(state),
        "manual_review": state in MANUAL_REVIEW,
        "tx_id": str(row.get("txId") or "") or None,
        "fee": str(row.get("fee") or "") or None,
        "fee_ccy": str(row.get("feeCcy") or "") or None,
        "read_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return {k: v for k, v in kept.items() if v is not None}


def outcome_of(row: dict[str, Any], how: str) -> RailOutcome:
    """What a withdrawal's state means for the payment (the table above)."""
    data = withdrawal_data(row)
    state, wd_id = data["state"], data["wd_id"] or None
    common: dict[str, Any] = {"rail_status": state, "rail_reference": wd_id, "how": how}
    details = {"wd_id": wd_id, "state": state, "state_label": data["state_label"]}
    if state == SUCCESS:
        details.update(tx_id=data.get("tx_id"), fee=data.get("fee"), fee_ccy=data.get("fee_ccy"))
        return RailOutcome(
            state="settled",
            settled_on=datetime.now(UTC).date().isoformat(),
            data={"withdrawal": data},
            details=details,
            **common,
        )
    if state == FAILED:
        error = DeclinedError(
            "OKX says the withdrawal failed; nothing was paid", [{"wd_id": wd_id, "state": state}]
        )
        return RailOutcome(
            state="failed",
            failure=failure_of(error),
            data={"withdrawal": data},
            details=details,
            **common,
        )
    if state == CANCELLED:
        return RailOutcome(state="cancelled", data={"withdrawal": data}, details=details, **common)
    return RailOutcome(state="executing", data={"withdrawal": data}, details=details, **common)
