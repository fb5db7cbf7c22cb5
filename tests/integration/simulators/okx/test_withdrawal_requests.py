"""POST /api/v5/asset/withdrawal: what is accepted, what OKX refuses, and that a refusal
moves no money and leaves no withdrawal behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devstack import demo_data
from devstack.okx_simulator import OkxSimulator

from .signing import VERIFIED_ADDRESS, Control, OkxClient, data, refused


@pytest.fixture(autouse=True)
def nothing_moves_on_refusal(okx_sim: OkxSimulator) -> Iterator[None]:
    """Every test here that ends with no withdrawal must also end with untouched balances."""
    yield
    if not okx_sim.withdrawals():
        with okx_sim.ledger.lock:
            assert all(b.frozen == 0 for b in okx_sim.ledger.balances.values())


def test_a_withdrawal_is_accepted_and_freezes_amount_plus_fee(okx: OkxClient) -> None:
    created = data(okx.withdraw(amt="100", clientId="bill1"))
    assert created == [
        {
            "amt": "100",
            "wdId": created[0]["wdId"],
            "ccy": "USDT",
            "clientId": "bill1",
            "chain": "USDT-TRC20",
        }
    ]
    assert created[0]["wdId"].isdigit()
    # amt excludes the fee (1.5 USDT on TRC20): both are frozen until the withdrawal ends.
    assert okx.balance("USDT") == {
        "ccy": "USDT",
        "bal": "50000",
        "frozenBal": "101.5",
        "availBal": "49898.5",
    }


def test_without_a_client_id_each_request_is_a_new_withdrawal(
    okx: OkxClient, okx_sim: OkxSimulator
) -> None:
    first, second = data(okx.withdraw())[0], data(okx.withdraw())[0]
    assert first["wdId"] != second["wdId"] and first["clientId"] == ""
    assert len(okx_sim.withdrawals()) == 2


def test_a_json_number_amount_is_read_exactly(okx: OkxClient, okx_sim: OkxSimulator) -> None:
    body = {"ccy": "USDT", "amt": 12.345678, "dest": "4", "toAddr": VERIFIED_ADDRESS}
    body["chain"] = "USDT-TRC20"
    data(okx.post("/api/v5/asset/withdrawal", body))
    assert okx_sim.withdrawals()[0]["amt"] == "12.345678"


def test_an_address_that_is_not_verified_is_refused(okx: OkxClient) -> None:
    message = refused(okx.withdraw(toAddr=demo_data.OKX_UNVERIFIED_ADDRESS), "58207")
    assert "verified address list" in message


def test_a_verified_address_is_verified_for_its_chain_only(
    okx: OkxClient, control: Control
) -> None:
    refused(okx.withdraw(chain="USDT-ERC20", amt="10"), "58207")
    control("POST", "/addresses", {"ccy": "USDT", "chain": "USDT-ERC20", "address": "0xabc"})
    data(okx.withdraw(chain="USDT-ERC20", toAddr="0xabc", amt="10"))


def test_more_than_the_available_balance_is_refused(okx: OkxClient) -> None:
    assert refused(okx.withdraw(amt="50000.000001"), "58350") == "Insufficient balance."


def test_a_balance_that_covers_the_amount_but_not_the_fee_is_refused(okx: OkxClient) -> None:
    message = refused(okx.withdraw(amt="49999"), "58229")
    assert message == "Insufficient funding account balance to pay fees 1.5 USDT"
    data(okx.withdraw(amt="49998.5"))  # exactly amount + fee is enough
    assert okx.balance("USDT")["availBal"] == "0"


def test_frozen_funds_are_not_available_twice(okx: OkxClient) -> None:
    data(okx.withdraw(amt="30000"))
    refused(okx.withdraw(amt="30000"), "58350")


def test_below_the_minimum_is_refused(okx: OkxClient) -> None:
    assert refused(okx.withdraw(amt="0.09"), "58206").startswith("Withdrawal amount is less")
    data(okx.withdraw(amt="0.1"))


def test_above_the_maximum_is_refused(okx: OkxClient, control: Control) -> None:
    control("PUT", "/balances", {"USDT": "2000000"})
    refused(okx.withdraw(amt="1000000.000001"), "58205")


def test_more_decimals_than_the_withdrawal_precision_are_refused(okx: OkxClient) -> None:
    assert refused(okx.withdraw(amt="10.1234567"), "51000", 400) == "Parameter amt error"
    data(okx.withdraw(amt="10.123456"))


@pytest.mark.parametrize("amt", ["0", "-5", "abc", "NaN", "Infinity"])
def test_an_amount_that_is_not_positive_is_refused(okx: OkxClient, amt: str) -> None:
    refused(okx.withdraw(amt=amt), "51000", 400)


@pytest.mark.parametrize("chain", ["USDT-FOO", "USDC-ERC20"])
def test_a_chain_the_currency_does_not_have_is_refused(okx: OkxClient, chain: str) -> None:
    assert refused(okx.withdraw(chain=chain), "58010") == f"Chain {chain} isn't supported"


def test_without_a_chain_the_main_chain_is_used(okx: OkxClient, control: Control) -> None:
    control("POST", "/addresses", {"ccy": "USDT", "chain": "USDT-ERC20", "address": "0xabc"})
    created = data(okx.withdraw(chain="", toAddr="0xabc", amt="10"))
    assert created[0]["chain"] == "USDT-ERC20"


def test_an_unknown_currency_is_refused(okx: OkxClient) -> None:
    assert refused(okx.withdraw(ccy="DOGE"), "51000", 400) == "Parameter ccy error"


@pytest.mark.parametrize("field", ["ccy", "amt", "dest", "toAddr"])
def test_a_missing_required_parameter_is_refused(okx: OkxClient, field: str) -> None:
    body = {"ccy": "USDT", "amt": "1", "dest": "4", "toAddr": VERIFIED_ADDRESS}
    body[field] = ""
    message = refused(okx.post("/api/v5/asset/withdrawal", body), "50014", 400)
    assert message == f"Parameter {field} can not be empty."


def test_only_on_chain_withdrawals_are_simulated(okx: OkxClient) -> None:
    refused(okx.withdraw(dest="3"), "51000", 400)


@pytest.mark.parametrize("client_id", ["bill-42", "a" * 33, "bill 42", "bill_42"])
def test_a_client_id_must_be_up_to_32_alphanumerics(okx: OkxClient, client_id: str) -> None:
    assert refused(okx.withdraw(clientId=client_id), "51000", 400) == "Parameter clientId error"


def test_a_chain_with_withdrawals_suspended_is_refused(
    okx: OkxClient, okx_sim: OkxSimulator
) -> None:
    okx_sim.config.chains = [
        spec if spec.chain != "USDT-TRC20" else type(spec)(**{**vars(spec), "can_wd": False})
        for spec in okx_sim.config.chains
    ]
    refused(okx.withdraw(), "58214")


@pytest.mark.parametrize(
    ("content_type", "raw", "code"),
    [
        ("text/plain", '{"ccy":"USDT"}', "50006"),
        ("application/json", "", "50000"),
        ("application/json", "{not json", "50002"),
        ("application/json", '["USDT"]', "50002"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    okx: OkxClient, content_type: str, raw: str, code: str
) -> None:
    response = okx.request(
        "POST", "/api/v5/asset/withdrawal", raw=raw, headers={"Content-Type": content_type}
    )
    refused(response, code, 400)
