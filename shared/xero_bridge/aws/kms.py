"""KMS: encrypt and decrypt small values under a key and an encryption context."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3

from xero_bridge.aws.config import STANDARD


@lru_cache(maxsize=1)
def kms_client() -> Any:
    return boto3.client("kms", config=STANDARD)


def reset_client() -> None:
    """Forget the cached client (tests that switch endpoints or credentials call this)."""
    kms_client.cache_clear()


def encrypt(key_id: str, plaintext: bytes, encryption_context: dict[str, str]) -> bytes:
    """The ciphertext of `plaintext` under the key `key_id` and `encryption_context`."""
    answer = kms_client().encrypt(
        KeyId=key_id, Plaintext=plaintext, EncryptionContext=encryption_context
    )
    return bytes(answer["CiphertextBlob"])


def decrypt(ciphertext: bytes, encryption_context: dict[str, str]) -> bytes:
    """The plaintext of `ciphertext` (KMS refuses it under another encryption context)."""
    answer = kms_client().decrypt(CiphertextBlob=ciphertext, EncryptionContext=encryption_context)
    return bytes(answer["Plaintext"])
