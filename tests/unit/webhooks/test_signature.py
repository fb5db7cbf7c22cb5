"""Xero's webhook signature: base64(HMAC-SHA256(raw body, key)), compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac

from xero_bridge.webhooks.signature import matches, sign

# RFC 4231 test case 2 (HMAC-SHA256): key "Jefe", data "what do ya want for nothing?"
RFC4231_KEY = "Jefe"
RFC4231_DATA = b"what do ya want for nothing?"
RFC4231_HEX = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

BODY = (
    b'{"events":[{"resourceUrl":"https://api.xero.com/api.xro/2.0/Contacts/717f2bfc-c6d4-41fd'
    b'-b238-3f2f0c0cf777","resourceId":"717f2bfc-c6d4-41fd-b238-3f2f0c0cf777","eventDateUtc"'
    b':"2024-06-21T01:15:39.902","eventType":"UPDATE","eventCategory":"CONTACT","tenantId":'
    b'"c2cc9b6e-9458-4c7d-93cc-f02b81b0594f","tenantType":"ORGANISATION"}],'
    b'"lastEventSequence":1,"firstEventSequence":1,"entropy":"S0m3r4Nd0mt3xt"}'
)
KEY = "test-webhook-key"


def test_known_vector_rfc4231():
    expected = base64.b64encode(bytes.fromhex(RFC4231_HEX)).decode()
    assert sign(RFC4231_DATA, RFC4231_KEY) == expected
    assert expected == "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
    assert matches(RFC4231_DATA, expected, RFC4231_KEY)


def test_signature_is_standard_base64_of_hmac_sha256_of_the_raw_bytes():
    expected = base64.b64encode(hmac.new(KEY.encode(), BODY, hashlib.sha256).digest()).decode()
    assert sign(BODY, KEY) == expected
    assert matches(BODY, expected, KEY)


def test_a_body_altered_by_one_byte_does_not_match():
    good = sign(BODY, KEY)
    for index in (0, len(BODY) // 2, len(BODY) - 1):
        altered = bytearray(BODY)
        altered[index] ^= 0x01
        assert not matches(bytes(altered), good, KEY)


def test_whitespace_or_reserialised_json_does_not_match():
    import json

    good = sign(BODY, KEY)
    reserialised = json.dumps(json.loads(BODY)).encode()
    assert reserialised != BODY
    assert not matches(reserialised, good, KEY)
    assert not matches(BODY + b"\n", good, KEY)


def test_missing_empty_or_foreign_signatures_do_not_match():
    assert not matches(BODY, None, KEY)
    assert not matches(BODY, "", KEY)
    assert not matches(BODY, sign(BODY, "another-key"), KEY)
    assert not matches(BODY, "not base64 at all ✓", KEY)
    assert not matches(BODY, sign(BODY, KEY)[:-2], KEY)


def test_an_empty_key_never_matches():
    assert not matches(BODY, sign(BODY, ""), "")


def test_surrounding_whitespace_in_the_header_is_tolerated():
    assert matches(BODY, f" {sign(BODY, KEY)} ", KEY)
