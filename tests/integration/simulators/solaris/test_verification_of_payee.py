"""Verification of Payee: each demo payee's outcome, the checks on input, expiry, reads."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.integration.simulators.solaris.conftest import (
    CLOSE_MATCH,
    DECLINES,
    MATCH,
    NO_MATCH,
    OTHER_VALID_IBAN,
    Api,
    solaris_error,
)


@pytest.mark.parametrize(
    ("payee", "status", "suggested"),
    [
        (MATCH, "MATCH", None),
        (CLOSE_MATCH, "CLOSE_MATCH", CLOSE_MATCH.holder),
        (NO_MATCH, "NO_MATCH", None),
        (DECLINES, "MATCH", None),  # it verifies; the decline comes after the transfer
    ],
    ids=["match", "close-match", "no-match", "declines-later"],
)
def test_each_demo_payee_verifies_as_the_demo_data_says(api: Api, payee, status, suggested):
    answer = api.verify(payee.iban, payee.xero_name)
    assert answer.status_code == 201
    body = answer.json()
    assert body["payee"] == {"iban": payee.iban, "name": payee.xero_name}
    assert body["result"] == {"status": status, "suggested_name": suggested}
    assert body["id"].endswith("veop")


def test_the_account_holders_own_name_is_a_match(api: Api):
    answer = api.verify(NO_MATCH.iban, NO_MATCH.holder)
    assert answer.json()["result"]["status"] == "MATCH"


def test_another_valid_iban_cannot_be_verified(api: Api):
    answer = api.verify(OTHER_VALID_IBAN, "Irgendwer GmbH")
    assert answer.status_code == 201
    assert answer.json()["result"]["status"] == "VERIFICATION_NOT_POSSIBLE"


def test_outside_the_euro_area_verification_is_not_supported(api: Api):
    answer = api.verify("CH9300762011623852957", "Alpen AG")
    assert answer.json()["result"]["status"] == "VERIFICATION_NOT_SUPPORTED"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"iban": "DE89370400440532013001", "name": "Müller"}, "iban"),  # checksum
        ({"iban": "DE8937040044053201300", "name": "Müller"}, "iban"),  # length
        ({"iban": "de89 3704 0044 0532 0130 00", "name": "Müller"}, "iban"),
        ({"name": "Müller"}, "iban"),
        ({"iban": MATCH.iban}, "name"),
        ({"iban": MATCH.iban, "name": "x" * 141}, "name"),
    ],
)
def test_bad_input_is_400_invalid_model_naming_the_field(api: Api, body, field):
    answer = api.post("/v1/verifications_of_payee", json=body)
    assert answer.status_code == 400
    error = solaris_error(answer)
    assert error["code"] == "invalid_model"
    assert error["source"]["field"] == field


def test_a_verification_is_valid_five_minutes_and_can_be_read_back(api: Api):
    created = api.verify(MATCH.iban, MATCH.xero_name).json()
    start = datetime.fromisoformat(created["created_at"])
    end = datetime.fromisoformat(created["expires_at"])
    assert (end - start).total_seconds() == 300
    again = api.get(f"/v1/verifications_of_payee/{created['id']}")
    assert again.status_code == 200
    assert again.json() == created


def test_an_unknown_verification_is_404(api: Api):
    answer = api.get("/v1/verifications_of_payee/0000veop")
    assert answer.status_code == 404
    assert solaris_error(answer)["code"] == "model_not_found"
