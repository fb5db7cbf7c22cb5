"""The currency codes Xero knows (its `CurrencyCode` enum: ISO 4217, with a few historic
codes). Kept here as plain text so that validating a request needs no xero-python import;
a test holds the list to xero-python's enum."""

from __future__ import annotations

XERO_CURRENCY_CODES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BYR BZD CAD CDF CHF CLF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD
    EEK EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR
    ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD
    LSL LTL LVL LYD MAD MDL MGA MKD MMK MNT MOP MRO MRU MUR MVR MWK MXN MXV MYR MZN NAD
    NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR
    SDG SEK SGD SHP SKK SLE SLL SOS SRD STD STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
    TWD TZS UAH UGX USD UYU UZS VEF VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMK ZMW ZWD
    """.split()  # noqa: SIM905 - a block of codes reads better than 168 lines
)


def known_currency(code: str) -> str:
    """`code` if Xero knows it; ValueError (a 400 naming the field) otherwise."""
    if code not in XERO_CURRENCY_CODES:
        raise ValueError(f"{code!r} is not a currency code Xero knows (ISO 4217, e.g. EUR)")
    return code
