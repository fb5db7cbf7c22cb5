"""Payout address formats, checked per chain where the chain has a checksum or a pattern.

OKX names a chain ``<ccy>-<network>`` (``USDT-TRC20``, ``USDC-ERC20``, ``USDT-Polygon``…):

- **TRON** (``TRC20``): base58check, 25 bytes — version 0x41, 20 bytes of address, and the
  first 4 bytes of sha256(sha256(version + address)) — so a typo fails the checksum.
- **EVM chains** (``ERC20``, Polygon, Arbitrum One, Optimism, Base, BSC, Avalanche C-Chain…):
  ``0x`` and 40 hex digits; a mixed-case address must carry its EIP-55 checksum (all lower
  or all upper case carries none, as EIP-55 allows).
- **Solana**: base58 of a 32-byte public key (a pattern: Solana has no checksum).
- Any other chain: printable text without spaces (OKX checks the rest when it withdraws).

TRON and EVM addresses never take a tag or memo; a memo there is a mistake, not a detail.
"""

from __future__ import annotations

import hashlib
import re

from xero_bridge.payout_addresses.keccak import keccak256

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
EVM_NETWORKS = frozenset(
    {
        "erc20",
        "polygon",
        "arbitrum one",
        "arbitrum",
        "optimism",
        "base",
        "bsc",
        "bep20",
        "avalanche c-chain",
        "avax c-chain",
        "linea",
        "zksync era",
        "x layer",
        "scroll",
    }
)
_EVM = re.compile(r"^0x[0-9a-fA-F]{40}$")
_PLAIN = re.compile(r"^[\x21-\x7e]{8,128}$")
_TAG = re.compile(r"^[\x21-\x7e]{1,64}$")


class AddressFormatError(ValueError):
    """The address cannot be one on that chain (a typo, or another chain's address)."""


def family(chain: str) -> str:
    network = chain.partition("-")[2].strip().lower()
    if network == "trc20":
        return "tron"
    if network in EVM_NETWORKS:
        return "evm"
    if network in ("solana", "sol", "spl"):
        return "solana"
    return "other"


def check(chain: str, address: str, tag: str | None) -> None:
    """AddressFormatError when `address` (and `tag`) cannot be right for `chain`."""
    kind = family(chain)
    if tag is not None and not _TAG.match(tag):
        raise AddressFormatError("a tag or memo is 1 to 64 printable characters")
    if tag and kind in ("tron", "evm"):
        raise AddressFormatError(f"{chain} addresses take no tag or memo")
    if kind == "tron":
        _tron(address)
    elif kind == "evm":
        _evm(address)
    elif kind == "solana":
        if len(b58decode(address)) != 32:
            raise AddressFormatError("a Solana address is the base58 of 32 bytes")
    elif not _PLAIN.match(address) or ":" in address:
        raise AddressFormatError("an address is 8 to 128 printable characters, no spaces or ':'")


def b58decode(text: str) -> bytes:
    if not text or any(c not in BASE58 for c in text):
        raise AddressFormatError("not base58 (it has a character base58 never uses)")
    number = 0
    for char in text:
        number = number * 58 + BASE58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + body


def _tron(address: str) -> None:
    if not address.startswith("T") or len(address) != 34:
        raise AddressFormatError("a TRON address is 34 characters starting with T")
    raw = b58decode(address)
    payload, checksum = raw[:-4], raw[-4:]
    if len(raw) != 25 or payload[0] != 0x41:
        raise AddressFormatError("not a TRON address")
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        raise AddressFormatError("the TRON address's checksum is wrong (a typo?)")


def _evm(address: str) -> None:
    if not _EVM.match(address):
        raise AddressFormatError("an EVM address is 0x and 40 hexadecimal digits")
    digits = address[2:]
    if digits in (digits.lower(), digits.upper()):
        return  # no checksum given (EIP-55 allows it)
    if digits != eip55(digits):
        raise AddressFormatError("the address's EIP-55 checksum (its capitals) is wrong (a typo?)")


def eip55(digits: str) -> str:
    """40 hex digits with EIP-55's capitals."""
    lower = digits.lower()
    hashed = keccak256(lower.encode()).hex()
    return "".join(
        c.upper() if c.isalpha() and int(h, 16) >= 8 else c
        for c, h in zip(lower, hashed[:40], strict=True)
    )
