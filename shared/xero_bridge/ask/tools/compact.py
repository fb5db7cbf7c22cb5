"""How Xero's records become the compact values the model sees: amounts to the cent, free
text cut short, a contact as id and name, and sums per currency.

Trimming here is what keeps a tool result a summary rather than a dump (and the prompt
small); masking of personal data happens later, on everything sent (ask/masking.py).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

TEXT_LIMIT = 160  # characters of any free text (descriptions, references) sent to the model
CENT = Decimal("0.01")

# Sums per currency: {"NZD": {"total": Decimal, "amount_due": Decimal, ...}, ...}
Totals = dict[str, dict[str, Decimal]]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def short_text(value: Any) -> str | None:
    """Whitespace collapsed, at most TEXT_LIMIT characters; None for nothing."""
    if value in (None, ""):
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def contact_ref(item: dict[str, Any]) -> dict[str, Any]:
    """The Contact of an invoice (or a payment's invoice) as {id, name}."""
    contact = item.get("Contact") or {}
    return {"id": contact.get("ContactID"), "name": short_text(contact.get("Name"))}


def add_to_totals(totals: Totals, currency: str, **amounts: Decimal) -> None:
    bucket = totals.setdefault(currency, {})
    for key, amount in amounts.items():
        bucket[key] = bucket.get(key, Decimal("0")) + amount


def rounded_totals(totals: Totals) -> Totals:
    return {cur: {k: cents(v) for k, v in sums.items()} for cur, sums in totals.items()}
