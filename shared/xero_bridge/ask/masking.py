"""Personal data the model does not need is masked before anything leaves for it.

Two nets, because either alone leaks:
- by field: values under keys that hold bank account numbers, emails, phone numbers, tax
  numbers (Xero's names and ours, compared case-insensitively without separators) are
  replaced whatever they look like;
- by pattern: every other string (descriptions, references, names, notes) has email
  addresses, IBANs, VAT-style tax numbers and long digit runs (bank accounts, phones, tax
  numbers such as ABN/GST/UTR) replaced. Identifiers, dates and amounts are left alone: a
  GUID or an ISO date is matched first and kept, and amounts never carry 8+ digits with
  separators.

The tool layer already picks only the fields a question needs; this is the last check on
everything that is sent to the model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "[masked]"

# Normalised (lower-case, no '_' or '-') field names whose values are always masked.
SENSITIVE_FIELDS = frozenset(
    {
        "bankaccountdetails",
        "bankaccountnumber",
        "bankaccountname",
        "batchpayments",
        "accountnumber",  # a contact's own account number with us
        "iban",
        "bsb",
        "sortcode",
        "taxnumber",
        "taxid",
        "companynumber",
        "emailaddress",
        "email",
        "phones",
        "phone",
        "phonenumber",
        "phoneareacode",
        "phonecountrycode",
        "mobile",
        "fax",
        "contactpersons",
        "addresses",
        "skypeusername",
        "trackingcategoryname",
    }
)
# Fields that hold identifiers, dates or amounts: kept exactly (no pattern masking).
_ID_SUFFIXES = ("_id", "_ids", "ID", "IDs", "Id")
_STRUCTURED_SUFFIXES = ("date", "_at", "total", "amount", "amount_due", "amount_paid", "balance")

_PATTERN = re.compile(
    r"(?P<keep>"
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"  # GUID
    r"|\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"  # ISO
    r")"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
    r"|(?P<iban>\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b)"
    r"|(?P<vat>\b[A-Z]{2}\d{8,12}\b)"
    # 8+ digits, optionally separated by spaces, dashes or brackets, optionally with a
    # leading '+': bank account numbers (12-3456-7890123-00), phones (+64 21 555 1234),
    # tax numbers (12 345 678 901, 123-456-789). Not preceded by a digit, letter or '.', and
    # not an amount (no '.' separator; not followed by '.<digit>').
    r"|(?P<digits>(?<![\w.])\+?\(?\d(?:[ ()-]{0,2}\d){7,}(?![\w]|\.\d))"
    r"|(?P<short>(?<![\w.])\d{3}[ -]\d{3}[ -]\d{3}(?![\w]|\.\d))"
)


def mask_text(text: str) -> str:
    """`text` with emails, IBANs, tax numbers and long digit runs replaced."""

    def replace(match: re.Match[str]) -> str:
        if match.group("keep"):
            return match.group(0)
        return MASK

    return _PATTERN.sub(replace, text)


def _normalise(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _structured(key: str) -> bool:
    return (
        key in ("id", "ids")
        or key.endswith(_ID_SUFFIXES)
        or key.lower().endswith(_STRUCTURED_SUFFIXES)
    )


def mask(value: Any, key: str | None = None, _depth: int = 0) -> Any:
    """A copy of `value` with sensitive fields and personal data in free text masked."""
    if _depth > 30:
        return MASK
    if key is not None and _normalise(key) in SENSITIVE_FIELDS:
        return MASK if value not in (None, "", [], {}) else value
    if isinstance(value, Mapping):
        return {k: mask(v, str(k), _depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask(item, key, _depth + 1) for item in value]
    if isinstance(value, str):
        if key is not None and _structured(key):
            return value
        return mask_text(value)
    return value
