"""Direct Debit schemes the simulated creditor collects on, and their bank-account rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FieldErrors
from .store import Record

# IBAN lengths of the countries in the SEPA zone that GoCardless collects from.
SEPA_IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "CY": 28, "DE": 22, "EE": 20, "ES": 24, "FI": 18, "FR": 27,
    "GR": 27, "IE": 22, "IT": 27, "LT": 20, "LU": 20, "LV": 21, "MT": 31, "NL": 18,
    "PT": 25, "SI": 19, "SK": 24,
}  # fmt: skip


@dataclass(frozen=True)
class Scheme:
    name: str
    currency: str
    countries: frozenset[str]
    lead_days: int  # the earliest charge date is this many days after today
    # The bank's answer when the money is not there, when the payer claims it back, and when
    # it refuses a mandate.
    insufficient_funds: tuple[str, str, str]  # (cause, reason_code, description)
    chargeback: tuple[str, str, str]
    invalid_bank_details: tuple[str, str, str]


SCHEMES = {
    "sepa_core": Scheme(
        "sepa_core",
        "EUR",
        frozenset(SEPA_IBAN_LENGTHS),
        3,
        (
            "insufficient_funds",
            "AM04",
            "The customer's account had insufficient funds to make this payment.",
        ),
        (
            "refund_requested",
            "MD06",
            "This payment was charged back by the customer's bank at the customer's request "
            "within the 8 week cool-off period.",
        ),
        (
            "invalid_bank_details",
            "AC01",
            "The specified bank account does not exist or was closed.",
        ),
    ),
    "bacs": Scheme(
        "bacs",
        "GBP",
        frozenset({"GB"}),
        4,
        (
            "refer_to_payer",
            "ARUDD-0",
            "The customer's bank wasn't able to pay the Direct Debit. This is almost always "
            "due to insufficient funds but is occasionally used as a catch-all for other "
            "failures.",
        ),
        (
            "authorisation_disputed",
            "DDICA-1",
            "The customer has disputed that the amount taken differs from the amount they "
            "were notified of.",
        ),
        (
            "invalid_bank_details",
            "ADDACS-5",
            "The specified bank account does not exist or was closed.",
        ),
    ),
}
SCHEME_FOR_CURRENCY = {scheme.currency: scheme for scheme in SCHEMES.values()}
BANK_NAMES = {"sepa_core": "DEUTSCHE BANK AG", "bacs": "BARCLAYS BANK PLC"}


def iban_is_valid(iban: str) -> bool:
    country = iban[:2]
    if SEPA_IBAN_LENGTHS.get(country) != len(iban) or not re.fullmatch(r"[A-Z0-9]+", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def bank_details(errors: FieldErrors, data: Record) -> tuple[Scheme, Record] | None:
    """Checks an IBAN (SEPA) or a UK account number and sort code (Bacs); answers the scheme
    and the account's public fields, or None with the field errors added."""
    holder = data.get("account_holder_name")
    if not isinstance(holder, str) or not holder.strip():
        errors.add("account_holder_name", "is required")
    elif len(holder) > 18 and data.get("country_code") == "GB":
        errors.add("account_holder_name", "is too long (maximum is 18 characters)")
    iban = data.get("iban")
    if iban is not None:
        iban = str(iban).replace(" ", "").upper()
        if not iban_is_valid(iban):
            errors.add("iban", "is invalid")
            return None
        scheme, number, country = SCHEMES["sepa_core"], iban, iban[:2]
    else:
        account, branch = str(data.get("account_number") or ""), str(data.get("branch_code") or "")
        country = str(data.get("country_code") or "")
        if country != "GB":
            errors.add("iban", "is required")
            return None
        if not re.fullmatch(r"\d{8}", account):
            errors.add("account_number", "must be 8 digits")
        if not re.fullmatch(r"\d{6}", branch.replace("-", "")):
            errors.add("branch_code", "must be 6 digits")
        scheme, number = SCHEMES["bacs"], account
    given_country = data.get("country_code")
    if given_country is not None and given_country != country:
        errors.add("country_code", "does not match the bank details")
    currency = data.get("currency")
    if currency is not None and currency != scheme.currency:
        errors.add("currency", f"must be {scheme.currency} for this bank account")
    if errors:
        return None
    return scheme, {
        "account_holder_name": str(holder).strip(),
        "account_number_ending": number[-2:],
        "bank_name": BANK_NAMES[scheme.name],
        "country_code": country,
        "currency": scheme.currency,
        "account_type": None,
        "_number": number,
    }
