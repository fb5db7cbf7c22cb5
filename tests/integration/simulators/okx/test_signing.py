"""OKX's request signing: what the simulator accepts, and each refusal OKX documents."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from devstack import demo_data
from devstack.okx_simulator import (
    DEMO_TRADING_API_KEY,
    DEMO_TRADING_PASSPHRASE,
    DEMO_TRADING_SECRET_KEY,
    OkxSimulator,
)
from devstack.okx_simulator.auth import sign

from .signing import OkxClient, data, iso_ms, okx_sign, refused

# OKX's documented example (secret, timestamp, GET /api/v5/account/balance?ccy=BTC); the
# docs give no resulting signature, so the expected values were computed with
# `openssl dgst -sha256 -hmac <secret> -binary | base64`.
DOC_SECRET = "22582BD0CFF14C41EDBF1AB98506286D"
DOC_TIMESTAMP = "2020-12-08T09:08:57.715Z"
DOC_GET_SIGNATURE = "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY="
POST_BODY = (
    '{"ccy":"USDT","amt":"100","dest":"4","toAddr":"TMiguoLXJnizgrS3W4WxoTZEdPMLFW9sjv",'
    '"chain":"USDT-TRC20","clientId":"bill42"}'
)
POST_SIGNATURE = "RB9r2SpkyGcl7KBEHFZalAnlIADFYUBfWc1NwkJBFfM="
BALANCES = "/api/v5/asset/balances"


@pytest.mark.parametrize("signer", [sign, okx_sign], ids=["simulator", "test-client"])
def test_signing_reproduces_the_documented_example(signer: Callable[..., str]) -> None:
    get = signer(DOC_SECRET, DOC_TIMESTAMP, "GET", "/api/v5/account/balance?ccy=BTC", "")
    post = signer(DOC_SECRET, DOC_TIMESTAMP, "POST", "/api/v5/asset/withdrawal", POST_BODY)
    assert (get, post) == (DOC_GET_SIGNATURE, POST_SIGNATURE)


def test_a_signed_request_is_answered(okx: OkxClient) -> None:
    rows = data(okx.get(BALANCES, ccy="USDT"))
    assert rows == [{"ccy": "USDT", "bal": "50000", "frozenBal": "0", "availBal": "50000"}]


def test_a_signature_wrong_by_one_byte_is_refused(okx: OkxClient) -> None:
    stamp = iso_ms(okx.now())
    good = okx_sign(okx.secret, stamp, "GET", BALANCES, "")
    flipped = ("B" if good[0] == "A" else "A") + good[1:]
    response = okx.request("GET", BALANCES, timestamp=stamp, headers={"OK-ACCESS-SIGN": flipped})
    assert refused(response, "50113", 401) == "Invalid signature."
    # The same request with the right signature goes through.
    assert okx.request("GET", BALANCES, timestamp=stamp).status_code == 200


def test_the_signature_covers_the_query_string(okx: OkxClient) -> None:
    stamp = iso_ms(okx.now())
    without_query = okx_sign(okx.secret, stamp, "GET", BALANCES, "")
    response = okx.request(
        "GET",
        BALANCES,
        params={"ccy": "USDT"},
        timestamp=stamp,
        headers={"OK-ACCESS-SIGN": without_query},
    )
    refused(response, "50113", 401)


def test_the_signature_covers_the_body_and_no_withdrawal_is_made(
    okx: OkxClient, okx_sim: OkxSimulator
) -> None:
    body = {"ccy": "USDT", "amt": "100", "dest": "4", "toAddr": "x", "chain": "USDT-TRC20"}
    other = json.dumps({**body, "amt": "1"}, separators=(",", ":"))
    refused(okx.post("/api/v5/asset/withdrawal", body, signed_body=other), "50113", 401)
    assert okx_sim.withdrawals() == []


def test_the_raw_body_is_what_is_signed(okx: OkxClient, okx_sim: OkxSimulator) -> None:
    """python-okx sends json.dumps's default separators; the simulator must not re-serialise."""
    raw = json.dumps(
        {"ccy": "USDT", "amt": "5", "dest": "4", "toAddr": demo_data.OKX_VERIFIED_ADDRESSES[0][2]}
        | {"chain": "USDT-TRC20", "areaCode": "", "clientId": ""}
    )
    response = okx.request("POST", "/api/v5/asset/withdrawal", raw=raw)
    assert data(response)[0]["clientId"] == ""
    assert len(okx_sim.withdrawals()) == 1


@pytest.mark.parametrize("skew", [31.0, -31.0])
def test_a_timestamp_outside_30_seconds_is_refused(okx: OkxClient, skew: float) -> None:
    response = okx.request("GET", BALANCES, timestamp=iso_ms(okx.now() + skew))
    assert refused(response, "50102", 401) == "Timestamp request expired."


@pytest.mark.parametrize("skew", [28.0, -28.0])
def test_a_timestamp_inside_the_window_is_accepted(okx: OkxClient, skew: float) -> None:
    data(okx.request("GET", BALANCES, timestamp=iso_ms(okx.now() + skew)))


def test_the_window_follows_the_simulator_clock(okx: OkxClient, okx_sim: OkxSimulator) -> None:
    stamp = iso_ms(okx.now())
    okx_sim.advance(60)
    refused(okx.request("GET", BALANCES, timestamp=stamp), "50102", 401)


@pytest.mark.parametrize(
    "stamp",
    ["2020-12-08T09:08:57Z", "2020-12-08 09:08:57.715Z", "2020-12-08T09:08:57.715+00:00",
     "1607418537.715", "2020-13-08T09:08:57.715Z", "yesterday"],
)  # fmt: skip
def test_a_timestamp_not_in_okx_format_is_refused(okx: OkxClient, stamp: str) -> None:
    assert refused(okx.request("GET", BALANCES, timestamp=stamp), "50112", 401) == (
        "Invalid OK-ACCESS-TIMESTAMP."
    )


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("OK-ACCESS-KEY", "50103"),
        ("OK-ACCESS-PASSPHRASE", "50104"),
        ("OK-ACCESS-SIGN", "50106"),
        ("OK-ACCESS-TIMESTAMP", "50107"),
    ],
)
def test_a_missing_header_is_refused(okx: OkxClient, header: str, code: str) -> None:
    assert header in refused(okx.request("GET", BALANCES, headers={header: None}), code, 401)


def test_an_unknown_key_is_refused(okx: OkxClient) -> None:
    okx.api_key = "not-a-key"
    assert refused(okx.get(BALANCES), "50111", 401) == "Invalid OK-ACCESS-KEY."


def test_a_wrong_passphrase_is_refused(okx: OkxClient) -> None:
    okx.passphrase = demo_data.OKX_PASSPHRASE + "x"
    refused(okx.get(BALANCES), "50105", 401)


def test_a_wrong_secret_is_refused(okx: OkxClient) -> None:
    okx.secret = "another-secret"
    refused(okx.get(BALANCES), "50113", 401)


def test_private_endpoints_all_require_a_signature(okx: OkxClient) -> None:
    for path in ("/asset/currencies", "/asset/balances", "/asset/withdrawal-history"):
        response = okx.http.get(f"{okx.base_url}/api/v5{path}")
        refused(response, "50103", 401)
    response = okx.http.post(f"{okx.base_url}/api/v5/asset/withdrawal", json={"ccy": "USDT"})
    refused(response, "50103", 401)


def test_public_endpoints_need_no_signature(okx: OkxClient) -> None:
    rows = data(okx.http.get(f"{okx.base_url}/api/v5/market/ticker?instId=USDT-EUR"))
    assert rows[0]["last"] == "0.9215"
    assert abs(int(data(okx.http.get(f"{okx.base_url}/api/v5/public/time"))[0]["ts"]) / 1000
               - okx.now()) < 5  # fmt: skip


def test_a_wrong_method_is_refused(okx: OkxClient) -> None:
    refused(okx.request("DELETE", BALANCES), "50115", 405)


# --- demo trading ----------------------------------------------------------------------


def test_a_live_key_in_demo_mode_is_refused(okx: OkxClient, okx_sim: OkxSimulator) -> None:
    okx.demo = True
    assert refused(okx.get(BALANCES), "50101", 401) == "APIKey does not match current environment."
    refused(okx.withdraw(clientId="demo1"), "50101", 401)
    assert okx_sim.withdrawals() == []


def test_demo_trading_has_no_withdrawals(okx: OkxClient, okx_sim: OkxSimulator) -> None:
    demo = OkxClient(
        okx_sim.url,
        okx_sim.clock.now,
        okx.http,
        DEMO_TRADING_API_KEY,
        DEMO_TRADING_SECRET_KEY,
        DEMO_TRADING_PASSPHRASE,
        demo=True,
    )
    data(demo.get(BALANCES))  # the demo key works in demo mode...
    message = refused(demo.withdraw(clientId="demo2"), "50038")  # ...but cannot withdraw
    assert message == "This feature is unavailable in demo trading"
    assert okx_sim.withdrawals() == []
    demo.demo = False  # and a demo key is not a live key
    refused(demo.get(BALANCES), "50101", 401)
