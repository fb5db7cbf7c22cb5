"""The Authorization header must be exactly `Bearer <one compact JWS>`."""

from __future__ import annotations

import pytest

from xero_bridge.auth.okta_tokens import TokenRejected, bearer_token

GOOD = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl"


@pytest.mark.parametrize("value", [f"Bearer {GOOD}", f"bearer {GOOD}", f"Bearer  {GOOD} "])
def test_a_bearer_token_is_extracted(value: str) -> None:
    assert bearer_token(value) == GOOD


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "Bearer",
        "Bearer ",
        "Bearer a.b",
        "Bearer a.b.c.d",
        "Bearer a..c",
        f"Bearer {GOOD[:-10]}.",  # empty signature (alg none style)
        "Basic xyz",
        f"Basic {GOOD}",
        f"Token {GOOD}",
        GOOD,  # no scheme
        f"Bearer {GOOD} {GOOD}",
        f"Bearer {GOOD}, Bearer {GOOD}",
        f"Bearer {GOOD},{GOOD}",
        f"Bearer {GOOD}é",
        f"Bearer {GOOD.replace('c2ln', 'c2ł')}",
        "Bearer ëyJ.ëyJ.ëyJ",
        f"Bearer {GOOD}\n",
        f"Bearer {GOOD}=",  # padding is not base64url in a JWS
        12345,
    ],
)
def test_malformed_values_are_rejected(value: object) -> None:
    with pytest.raises(TokenRejected) as raised:
        bearer_token(value)
    assert raised.value.reason == "malformed_header"
    assert raised.value.status == 401
