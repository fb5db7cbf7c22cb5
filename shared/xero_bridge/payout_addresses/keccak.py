"""Keccak-256 (the original Keccak padding, as Ethereum uses it; not NIST's SHA3-256), for
EIP-55 address checksums only — never for security.

hashlib's sha3_256 pads differently and OpenSSL 3.0 has no Keccak; pycryptodome and eth-hash
have it but are not in the layer, and a checksum check does not justify a C dependency.
Tested against Keccak's published vectors and EIP-55's examples.
"""

from __future__ import annotations

_RATE = 136  # bytes: 1600 - 2 * 256 bits
_ROUND_CONSTANTS = (
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808A,
    0x8000000080008000,
    0x000000000000808B,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008A,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000A,
    0x000000008000808B,
    0x800000000000008B,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800A,
    0x800000008000000A,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
)
_ROTATIONS = (
    (0, 36, 3, 41, 18),
    (1, 44, 10, 45, 2),
    (62, 6, 43, 15, 61),
    (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)
_MASK = (1 << 64) - 1


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK if shift else value


def _permute(lanes: list[list[int]]) -> None:
    """keccak-f[1600] on lanes[x][y], in place."""
    for constant in _ROUND_CONSTANTS:
        parity = [
            lanes[x][0] ^ lanes[x][1] ^ lanes[x][2] ^ lanes[x][3] ^ lanes[x][4] for x in range(5)
        ]
        for x in range(5):
            mix = parity[(x - 1) % 5] ^ _rotl(parity[(x + 1) % 5], 1)
            for y in range(5):
                lanes[x][y] ^= mix
        moved = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                moved[y][(2 * x + 3 * y) % 5] = _rotl(lanes[x][y], _ROTATIONS[x][y])
        for x in range(5):
            for y in range(5):
                lanes[x][y] = moved[x][y] ^ (~moved[(x + 1) % 5][y] & moved[(x + 2) % 5][y])
        lanes[0][0] ^= constant


def keccak256(data: bytes) -> bytes:
    return sponge256(data, 0x01)


def sponge256(data: bytes, domain: int) -> bytes:
    """The 256-bit Keccak sponge with a domain byte: 0x01 is Keccak-256 (Ethereum), 0x06
    NIST's SHA3-256 (which the tests compare with hashlib's, length by length)."""
    room = _RATE - len(data) % _RATE
    if room == 1:
        padded = bytes(data) + bytes([domain | 0x80])
    else:
        padded = bytes(data) + bytes([domain]) + bytes(room - 2) + b"\x80"
    lanes = [[0] * 5 for _ in range(5)]
    for start in range(0, len(padded), _RATE):
        block = padded[start : start + _RATE]
        for i in range(_RATE // 8):
            lanes[i % 5][i // 5] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _permute(lanes)
    out = b"".join(lanes[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out
