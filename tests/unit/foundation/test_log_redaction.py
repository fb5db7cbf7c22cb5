"""No token or secret reaches a log line, however it is passed to the logger."""

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from xero_bridge.observability import logger
from xero_bridge.redaction import register_secret


@pytest.fixture(scope="module")
def real_access_token() -> str:
    """A real RS256 JWT shaped like Xero's access tokens."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {
        "nbf": now,
        "exp": now + 1800,
        "iss": "https://identity.xero.com",
        "aud": "https://identity.xero.com/resources",
        "client_id": "91E5715B1199038080D6D0296EBC1648",
        "sub": "a3a4dbafh3495a808ed7a7b964388f53",
        "authentication_event_id": "d99ecdfe-a7b2-4d06-b3a3-4a9e0c2b8ba6",
        "scope": ["email", "profile", "openid", "accounting.invoices", "offline_access"],
    }
    return jwt.encode(
        claims, key, algorithm="RS256", headers={"kid": "1CAF8E66772D6DC028D6726FD0261581570EFC19"}
    )


# An opaque refresh token as Xero issues them: nothing in its shape says "token".
REFRESH_TOKEN = "b7c4a8e2d91f4e6a8c3b5d7e9f1a2c4e6b8d0f2a4c6e8a0b2d4f6a8c0e2a4c6"


def test_tokens_in_messages_extras_and_exceptions_are_scrubbed(log_stream, real_access_token):
    register_secret(REFRESH_TOKEN)  # what loading a token set does
    logger.info(f"exchanged code, got {real_access_token}")
    logger.info("refreshing", extra={"refresh_token": REFRESH_TOKEN, "tenant": "t-1"})
    logger.info("calling xero", extra={"headers": {"Authorization": f"Bearer {real_access_token}"}})
    logger.info("token response", extra={"body": {"access_token": real_access_token}})
    logger.info(f"stored set with refresh {REFRESH_TOKEN} for tenant t-1")
    try:
        raise RuntimeError(f"refresh failed for {REFRESH_TOKEN}")
    except RuntimeError:
        logger.exception("refresh failed")
    output = log_stream.getvalue()
    assert output.count("\n") >= 6
    assert real_access_token not in output
    # Not even a fragment of the token: its signature segment stays out too.
    assert real_access_token.split(".")[2][:20] not in output
    assert REFRESH_TOKEN not in output
    assert "[REDACTED]" in output
    # The rest of each line survives: the log is still useful.
    records = [json.loads(line) for line in output.splitlines()]
    assert any(record.get("tenant") == "t-1" for record in records)
    assert any(record.get("message") == "refresh failed" for record in records)


def test_a_secret_key_value_is_scrubbed_even_without_registration(log_stream):
    logger.info("secret loaded", extra={"client_secret": "some-client-secret-value", "n": 3})
    logger.info("posting form client_secret=another-secret-value&grant_type=refresh_token")
    output = log_stream.getvalue()
    assert "some-client-secret-value" not in output
    assert "another-secret-value" not in output
    assert "grant_type=refresh_token" in output
