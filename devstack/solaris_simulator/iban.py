"""IBAN and BIC checks as a bank does them: shape, country length and the mod-97 checksum."""

from __future__ import annotations

import re

# IBAN lengths of the SEPA countries (ISO 13616 registry).
SEPA_IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip
# Where Verification of Payee applies today (the euro area, since 2025-10-09); other SEPA
# countries follow in 2027, Switzerland and the UK have no date.
VOP_COUNTRIES = frozenset(
    ["AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR",
     "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PT", "SI", "SK"]
)  # fmt: skip

_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC_SHAPE = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def iban_problem(value: object) -> str | None:
    """Why `value` is not an IBAN a SEPA transfer can go to, or None when it is one."""
    if not isinstance(value, str) or not _IBAN_SHAPE.match(value):
        return "is not a valid IBAN"
    expected = SEPA_IBAN_LENGTHS.get(value[:2])
    if expected is None:
        return "is not in a SEPA country"
    if len(value) != expected:
        return f"has the wrong length for {value[:2]} (expected {expected})"
    rearranged = value[4:] + value[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    if int(digits) % 97 != 1:
        return "has an invalid checksum"
    return None


def bic_problem(value: object) -> str | None:
    if not isinstance(value, str) or not _BIC_SHAPE.match(value):
        return "is not a valid BIC"
    return None
