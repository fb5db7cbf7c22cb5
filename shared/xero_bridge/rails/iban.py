"""IBANs as people type them and banks check them: spaces and case forgiven, the country's
length and the ISO 13616 mod-97 checksum enforced (a typo in one digit is always caught).

(schwifty does this and more; the two checks a transfer needs do not justify another package
in the Lambda layer.)
"""

from __future__ import annotations

import re

# IBAN lengths of the SEPA countries (SWIFT's IBAN registry).
SEPA_LENGTHS: dict[str, int] = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip
_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")


class IbanError(ValueError):
    """Why a text is not an IBAN a SEPA transfer can go to."""


def normalise(text: str) -> str:
    """ "de89 3704 0044 0532 0130 00" → "DE89370400440532013000" (no other change)."""
    return "".join(text.split()).upper()


def checksum_ok(iban: str) -> bool:
    """The ISO 13616 check: the rearranged IBAN, letters as numbers, is 1 modulo 97."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def parse(text: str) -> str:
    """The IBAN in `text`, normalised; IbanError saying what is wrong otherwise."""
    iban = normalise(text)
    if not _SHAPE.match(iban):
        raise IbanError("is not an IBAN (two letters, two check digits, then the account)")
    expected = SEPA_LENGTHS.get(iban[:2])
    if expected is None:
        raise IbanError(f"is in {iban[:2]}, which is not a SEPA country")
    if len(iban) != expected:
        raise IbanError(f"has {len(iban)} characters; an IBAN in {iban[:2]} has {expected}")
    if not checksum_ok(iban):
        raise IbanError("has a wrong checksum (a mistyped digit?)")
    return iban


def parse_bic(text: str) -> str:
    bic = normalise(text)
    if not _BIC.match(bic):
        raise IbanError("is not a BIC (8 or 11 letters and digits)")
    return bic


def masked(iban: str) -> str:
    """For logs: the country and the last four characters only."""
    return f"{iban[:2]}…{iban[-4:]}" if len(iban) > 6 else "…"
