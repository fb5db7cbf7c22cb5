"""The okx rail's pure parts: OKX's documented signature, the quote's arithmetic, what a
withdrawal's state means, and the address formats (TRON's checksum, EIP-55, Keccak)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from xero_bridge.payout_addresses.formats import AddressFormatError, check, eip55
from xero_bridge.payout_addresses.keccak import keccak256, sponge256
from xero_bridge.rails.okx import signing, withdrawals
from xero_bridge.rails.okx.quote import crypto_amount, in_bill_currency

# OKX's documentation example: secret, timestamp and GET /api/v5/account/balance?ccy=BTC
# (the docs give no signature; it was computed with `openssl dgst -sha256 -hmac … | base64`).
DOC_SECRET = "22582BD0CFF14C41EDBF1AB98506286D"
DOC_TIMESTAMP = "2020-12-08T09:08:57.715Z"
DOC_SIGNATURE = "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY="


def test_the_signature_of_okxs_documented_example() -> None:
    path = "/api/v5/account/balance?ccy=BTC"
    assert signing.sign(DOC_SECRET, DOC_TIMESTAMP, "GET", path, "") == DOC_SIGNATURE
    assert signing.sign(DOC_SECRET, DOC_TIMESTAMP, "get", path, "") == DOC_SIGNATURE
    assert signing.sign(DOC_SECRET, DOC_TIMESTAMP, "GET", path + "&x=1", "") != DOC_SIGNATURE


def test_the_timestamp_is_iso_utc_with_milliseconds() -> None:
    assert signing.timestamp(1607418537.7159) == DOC_TIMESTAMP


def test_the_crypto_amount_is_rounded_down_to_the_tick_never_up() -> None:
    assert crypto_amount(Decimal("1250.00"), Decimal("1.0003"), 6) == Decimal("1249.625112")
    assert crypto_amount(Decimal("100.00"), Decimal("0.9215"), 2) == Decimal("108.51")  # .5187…
    assert crypto_amount(Decimal("10.00"), Decimal("3"), 0) == Decimal("3")
    assert in_bill_currency(Decimal("1.5"), Decimal("0.9215")) == Decimal("1.38")


@pytest.mark.parametrize(
    ("state", "status", "manual"),
    [
        ("0", "executing", False),
        ("4", "executing", True),
        ("12", "executing", True),
        ("1", "executing", False),
        ("-3", "executing", False),
        ("2", "settled", False),
        ("-1", "failed", False),
        ("-2", "cancelled", False),
    ],
)
def test_what_okxs_withdrawal_states_mean(state: str, status: str, manual: bool) -> None:
    outcome = withdrawals.outcome_of({"wdId": "1", "state": state, "txId": "ab"}, "read")
    assert outcome.state == status and outcome.rail_status == state
    assert (outcome.data or {})["withdrawal"]["manual_review"] is manual


def test_the_client_id_is_32_letters_and_digits_from_the_payment() -> None:
    cid = withdrawals.client_id("0d6b1f4e-9c2a-4a7e-8f35-2b9d6c1e7a40")
    assert cid == "0d6b1f4e9c2a4a7e8f352b9d6c1e7a40" and cid.isalnum() and len(cid) == 32


def test_keccak_is_the_sponge_sha3_uses_with_keccaks_padding() -> None:
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )
    for size in (0, 1, 134, 135, 136, 137, 271, 272, 500):  # around the 136-byte block
        data = bytes(range(256)) * 2
        assert sponge256(data[:size], 0x06) == hashlib.sha3_256(data[:size]).digest()


@pytest.mark.parametrize(
    "digits",
    [
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ],
)
def test_eip55_examples(digits: str) -> None:
    assert eip55(digits.lower()) == digits
    check("USDC-ERC20", "0x" + digits, None)
    first = next(i for i, c in enumerate(digits) if c.isalpha())  # one capital wrong
    typo = digits[:first] + digits[first].swapcase() + digits[first + 1 :]
    with pytest.raises(AddressFormatError, match="EIP-55"):
        check("USDT-Polygon", "0x" + typo, None)


def test_tron_addresses_carry_a_checksum() -> None:
    check("USDT-TRC20", "TMiguoLXJnizgrS3W4WxoTZEdPMLFW9sjv", None)
    with pytest.raises(AddressFormatError, match="checksum"):
        check("USDT-TRC20", "TMiguoLXJnizgrS3W4WxoTZEdPMLFW9sjw", None)
    with pytest.raises(AddressFormatError):
        check("USDT-TRC20", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", None)
    with pytest.raises(AddressFormatError, match="no tag"):
        check("USDT-TRC20", "TMiguoLXJnizgrS3W4WxoTZEdPMLFW9sjv", "12345")


def test_other_chains_take_a_tag_and_a_plain_address() -> None:
    check("XRP-Ripple", "rEb8TK3gBgk5auZkwc6sHnwrGVJH8DuaLh", "104850293")
    with pytest.raises(AddressFormatError):
        check("XRP-Ripple", "has spaces in it", None)
    check("USDT-Solana", "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB", None)
    with pytest.raises(AddressFormatError, match="Solana"):
        check("USDT-Solana", "Es9vMFrzaCERm", None)
