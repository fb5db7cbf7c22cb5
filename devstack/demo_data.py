"""The demo parties every simulator of the local stack agrees on.

The Xero simulator's demo organisations, the Solaris, OKX, GoCardless and Saferpay simulators
and the tests all read these, so that a bill's supplier in Xero is a payee the bank knows, a
customer in Xero is a scenario GoCardless knows, and so on. Nothing here is a real account.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


# ------------------------------------------------------------------------------- Solaris
@dataclass(frozen=True)
class SepaPayee:
    """A supplier's bank account as Solaris's Verification of Payee sees it.

    `xero_name` is the name on the supplier's contact in Xero; `holder` is the account
    holder's name at the bank. Verification compares the two.
    """

    xero_name: str
    iban: str
    bic: str
    holder: str
    verification: str  # the result Solaris's VoP gives for xero_name
    declines: bool = False  # a transfer to it is declined after acceptance


SOLARIS_PAYEES: tuple[SepaPayee, ...] = (
    SepaPayee(
        "Müller Büromaterial GmbH",
        "DE89370400440532013000",
        "COBADEFFXXX",
        "Müller Büromaterial GmbH",
        "MATCH",
    ),
    SepaPayee(
        "Schmidt & Partner Logistik",
        "DE62370400440532013001",
        "COBADEFFXXX",
        "Schmidt und Partner Logistik GmbH",
        "CLOSE_MATCH",
    ),
    SepaPayee(
        "Nordwind Handel KG",
        "DE35370400440532013002",
        "COBADEFFXXX",
        "Peter Albrecht",
        "NO_MATCH",
    ),
    # Documented test data: a transfer to this IBAN is accepted, then declined by the
    # receiving bank (SEPA_CREDIT_TRANSACTION_DECLINED, reason "AC04 closed account").
    SepaPayee(
        "Atlas Verpackung GmbH",
        "DE08370400440532013003",
        "COBADEFFXXX",
        "Atlas Verpackung GmbH",
        "MATCH",
        declines=True,
    ),
)
# Any other valid IBAN verifies as VERIFICATION_NOT_POSSIBLE.
SOLARIS_DECLINE_REASON = "AC04 closed account"

SOLARIS_CLIENT_ID = "demo-solaris-client"
SOLARIS_CLIENT_SECRET = "demo-solaris-secret-for-local-development-only"
SOLARIS_PERSON_ID = "demo0person0000000000000000000001"
SOLARIS_ACCOUNT_ID = "demo0account000000000000000000001"
SOLARIS_ACCOUNT_IBAN = "DE78370400440532013004"
SOLARIS_OPENING_BALANCE_CENTS = 25_000_000  # EUR 250,000.00
SOLARIS_WEBHOOK_SECRET = "demo-solaris-webhook-secret-for-local-development-only"
SOLARIS_STATIC_TAN = "212212"

# ----------------------------------------------------------------------------------- OKX
OKX_API_KEY = "demo-okx-api-key"
OKX_SECRET_KEY = "demo-okx-secret-key-for-local-development-only"
OKX_PASSPHRASE = "demo-okx-passphrase"
# Funding account balances.
OKX_BALANCES: dict[str, Decimal] = {"USDT": Decimal("50000"), "USDC": Decimal("20000")}
# Withdrawal addresses verified at OKX (a withdrawal to any other address answers 58207).
OKX_VERIFIED_ADDRESSES: tuple[tuple[str, str, str], ...] = (
    ("USDT", "USDT-TRC20", "TMiguoLXJnizgrS3W4WxoTZEdPMLFW9sjv"),
)
# A valid TRON address that is not verified at OKX.
OKX_UNVERIFIED_ADDRESS = "TXZ4NATbPmmoHnbyqiwrsBVw47b37srwPN"
# Market prices (last) for the pairs the demo pays bills in.
OKX_TICKERS: dict[str, Decimal] = {
    "USDT-EUR": Decimal("0.9215"),
    "USDT-USD": Decimal("1.0003"),
    "USDC-EUR": Decimal("0.9212"),
    "USDC-USD": Decimal("1.0000"),
}

# ---------------------------------------------------------------------------- GoCardless
GOCARDLESS_ACCESS_TOKEN = "sandbox_demo-gocardless-access-token"
GOCARDLESS_WEBHOOK_SECRET = "demo-gocardless-webhook-secret-for-local-development-only"
# Sandbox scenarios are chosen by the customer's given name.
GOCARDLESS_SCENARIOS: tuple[str, ...] = ("Successful", "Penniless", "Fickle", "Late")

# ------------------------------------------------------------------------------ Saferpay
SAFERPAY_CUSTOMER_ID = "401860"
SAFERPAY_TERMINAL_ID = "17795278"
SAFERPAY_API_USER = "API_401860_80003225"
SAFERPAY_API_PASSWORD = "demo-saferpay-password-for-local-development-only"
SAFERPAY_CARD_SUCCESS = "9010100052000004"  # Visa, succeeds
SAFERPAY_CARD_AUTH_FAILS = "9010100152000003"  # Visa, 3-D Secure authentication fails
SAFERPAY_CARD_MASTERCARD = "9030100052000000"  # Mastercard, succeeds
