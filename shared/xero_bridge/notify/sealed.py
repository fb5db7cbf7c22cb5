"""Field-level encryption of the secrets the notifications keep: endpoint signing secrets and
channel URLs (a Slack or Discord webhook URL is itself the credential).

Each value is encrypted with the stack's KMS key (`DATA_KEY_ARN`) under an encryption
context naming the field and the record it belongs to, so a ciphertext copied to another
record (or another tenant's) does not decrypt. The tables are encrypted too; this keeps the
values unreadable to anyone who can read the table but may not use the key, and out of
backups and exports in the clear. A decrypted value is registered with the log redaction
and cached for the process (a warm delivery Lambda does not call KMS per delivery).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from xero_bridge.aws import kms
from xero_bridge.redaction import register_secret
from xero_bridge.settings import get_settings

_CACHE_LIMIT = 512
_cache: OrderedDict[tuple[bytes, tuple[tuple[str, str], ...]], str] = OrderedDict()
_lock = threading.Lock()


def reset() -> None:
    kms.reset_client()
    with _lock:
        _cache.clear()


def context(field: str, tenant_id: str, record_id: str) -> dict[str, str]:
    """The encryption context of one field of one record."""
    return {"xero-bridge:field": field, "tenant_id": tenant_id, "record_id": record_id}


def seal(plaintext: str, encryption_context: dict[str, str]) -> bytes:
    """The ciphertext of `plaintext` under the stack's key and `encryption_context`."""
    register_secret(plaintext)
    key_id = get_settings().required("data_key_arn")
    return kms.encrypt(key_id, plaintext.encode("utf-8"), encryption_context)


def unseal(ciphertext: bytes, encryption_context: dict[str, str]) -> str:
    """The plaintext of a sealed field (KMS refuses another record's context)."""
    key = (bytes(ciphertext), tuple(sorted(encryption_context.items())))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    plaintext = kms.decrypt(bytes(ciphertext), encryption_context).decode("utf-8")
    register_secret(plaintext)
    with _lock:
        _cache[key] = plaintext
        while len(_cache) > _CACHE_LIMIT:
            _cache.popitem(last=False)
    return plaintext
