"""The product's OKX client against the simulator: OKX's documented signature (a byte off
is refused), the clock kept honest, OKX's rate limit respected, 50011 as a 429, OKX's
business errors as errors, reads repeated after a 5xx."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from devstack import demo_data
from devstack.okx_simulator import OkxSimulator
from devstack.okx_simulator.config import Limit
from xero_bridge.errors import ConfigurationError, RateLimitedError
from xero_bridge.rails.okx import client as okx_client
from xero_bridge.rails.okx.api import OkxApi
from xero_bridge.rails.okx.client import OkxApiError, OkxClient, OkxClockSkewError
from xero_bridge.rails.okx.config import OkxConfig


@pytest.fixture
def sim(_okx_sim: OkxSimulator) -> OkxSimulator:
    _okx_sim.reset()
    okx_client.forget_clock()
    return _okx_sim


def _config(sim: OkxSimulator, **changes: object) -> OkxConfig:
    config = OkxConfig(
        api_key=demo_data.OKX_API_KEY,
        secret_key=demo_data.OKX_SECRET_KEY,
        passphrase=demo_data.OKX_PASSPHRASE,
        api_url=sim.url,
        timeout=5,
        max_attempts=3,
        retry_base=0.01,
        requests_per_second=6,
    )
    return replace(config, **changes)  # type: ignore[arg-type]


def test_a_signed_read_is_answered_with_okxs_strings_as_decimals(sim: OkxSimulator) -> None:
    api = OkxApi(OkxClient(_config(sim)))
    assert str(api.available("USDT")) == "50000"
    chain = api.chain("USDT", "USDT-TRC20")
    assert chain is not None and (str(chain.fee), chain.tick_decimals) == ("1.5", 6)


def test_a_secret_wrong_by_one_byte_is_refused_as_our_configuration(sim: OkxSimulator) -> None:
    secret = demo_data.OKX_SECRET_KEY
    wrong = secret[:-1] + ("x" if secret[-1] != "x" else "y")
    with pytest.raises(ConfigurationError, match="50113"):
        OkxApi(OkxClient(_config(sim, secret_key=wrong))).available("USDT")


def test_a_skewed_clock_is_set_by_okxs_and_the_call_made_again(sim: OkxSimulator) -> None:
    sim.advance(120)  # OKX's clock is two minutes ahead of ours
    client = OkxClient(_config(sim))
    assert str(OkxApi(client).available("USDT")) == "50000"
    assert 119 < okx_client.clock_offset() < 121
    assert client.calls == 3  # refused (50102), OKX's time, the call again


def test_a_clock_okx_keeps_refusing_is_reported_as_skewed(sim: OkxSimulator) -> None:
    sim.config.timestamp_window = -1  # every timestamp is too far from OKX's clock
    with pytest.raises(OkxClockSkewError) as raised:
        OkxApi(OkxClient(_config(sim))).available("USDT")
    assert raised.value.code == "okx_clock_skewed" and raised.value.status == 503


def test_okxs_six_requests_a_second_are_respected(sim: OkxSimulator) -> None:
    client = OkxClient(_config(sim, max_attempts=1))  # a 50011 would be raised at once
    api = OkxApi(client)
    started = time.monotonic()
    for _ in range(13):
        api.available("USDT")
    assert time.monotonic() - started >= 2.0  # 13 calls at 6 a second: two waits of a second
    assert client.calls == 13


def test_okxs_rate_limit_is_answered_as_a_429_with_retry_after(sim: OkxSimulator) -> None:
    sim.config.limits["balances"] = Limit(1, 60.0)
    api = OkxApi(OkxClient(_config(sim)))
    api.available("USDT")
    with pytest.raises(RateLimitedError) as raised:
        api.available("USDT")
    assert raised.value.status == 429 and raised.value.headers["Retry-After"] == "1"
    assert raised.value.details[0]["okx_code"] == "50011"


def test_a_business_error_is_an_error_not_an_answer(sim: OkxSimulator) -> None:
    client = OkxClient(_config(sim))
    body = {
        "ccy": "USDT",
        "amt": "5",
        "dest": "4",
        "toAddr": demo_data.OKX_UNVERIFIED_ADDRESS,
        "chain": "USDT-TRC20",
        "clientId": "abc123",
    }
    with pytest.raises(OkxApiError) as raised:
        client.post("/api/v5/asset/withdrawal", body)
    assert (raised.value.code, raised.value.status) == ("58207", 200)


def test_a_read_is_repeated_after_a_gateways_plain_text_5xx(sim: OkxSimulator) -> None:
    sim.faults.add(
        __import__("devstack.okx_simulator.faults", fromlist=["Fault"]).Fault(
            kind="error", status=502, path_prefix="/api/v5/asset/balances", times=2
        )
    )
    client = OkxClient(_config(sim))
    assert str(OkxApi(client).available("USDT")) == "50000"
    assert client.calls == 3
