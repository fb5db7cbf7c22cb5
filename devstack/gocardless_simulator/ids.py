"""GoCardless-style identifiers: a resource prefix and twelve upper-case characters."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIXES = {
    "customers": "CU",
    "customer_bank_accounts": "BA",
    "customer_billing_details": "CBD",
    "mandates": "MD",
    "payments": "PM",
    "refunds": "RF",
    "billing_requests": "BRQ",
    "billing_request_flows": "BRF",
    "mandate_requests": "MRQ",
    "payment_requests": "PRQ",
    "events": "EV",
    "webhooks": "WB",
}


def new_id(kind: str) -> str:
    return PREFIXES[kind] + "00" + "".join(secrets.choice(ALPHABET) for _ in range(10))
