"""SEPA credit transfers: creation, idempotency by reference, refusals, reads."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.simulators.solaris.conftest import (
    CLOSE_MATCH,
    MATCH,
    NO_MATCH,
    Api,
    sim_get,
    sim_put,
    solaris_error,
)

OPENING = 25_000_000


def test_a_transfer_is_accepted_and_its_amount_reserved(api: Api):
    body = api.transfer_body(MATCH, cents=12_345)
    answer = api.pay(body)
    assert answer.status_code == 201
    transfer = answer.json()
    assert transfer["status"] == "accepted"
    assert transfer["amount"] == {"value": 12_345, "unit": "cents", "currency": "EUR"}
    assert transfer["reference"] == body["reference"]
    assert transfer["recipient_iban"] == MATCH.iban
    assert transfer["end_to_end_id"] == "XB-0042"
    # Reserved, not booked: available goes down, the balance waits for execution.
    assert api.balance() == (OPENING, OPENING - 12_345)


def test_the_same_reference_again_answers_the_existing_transfer(api: Api):
    body = api.transfer_body(MATCH, cents=500)
    first = api.pay(body)
    again = api.pay(body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    # Even a changed amount does not make a second transfer: the reference decides.
    changed = api.pay({**body, "amount": {"value": 999, "unit": "cents", "currency": "EUR"}})
    assert changed.json() == first.json()
    assert sim_get(api.sim, "/transfers")["count"] == 1
    assert api.balance()[1] == OPENING - 500


def test_a_retry_after_the_verification_expired_still_answers_the_transfer(api: Api):
    body = api.transfer_body(MATCH)
    first = api.pay(body).json()
    api.sim.clock.advance(301)
    again = api.pay(body)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_twenty_concurrent_posts_of_one_reference_make_one_transfer(api: Api):
    body = api.transfer_body(MATCH, cents=1_000)
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: api.pay(body), range(20)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 19 + [201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sim_get(api.sim, "/transfers")["count"] == 1
    assert api.balance()[1] == OPENING - 1_000


def test_the_billing_account_route_makes_transfers_too(api: Api):
    body = api.transfer_body(MATCH, cents=700)
    del body["change_request_enabled"]  # a billing account needs no change request
    answer = api.post(api.account_path, json=body)
    assert answer.status_code == 201
    again = api.post(api.account_path, json=body)
    assert again.status_code == 200 and again.json()["id"] == answer.json()["id"]


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"amount": {"value": 100.5, "unit": "cents", "currency": "EUR"}}, 400, "type_error",
         "amount.value"),
        ({"amount": {"value": "100", "unit": "cents", "currency": "EUR"}}, 400, "type_error",
         "amount.value"),
        ({"amount": {"value": 0, "unit": "cents", "currency": "EUR"}}, 400, "invalid_model",
         "amount.value"),
        ({"amount": {"value": 100, "unit": "cents", "currency": "USD"}}, 400, "invalid_model",
         "amount.currency"),
        ({"amount": {"value": 100, "unit": "euros", "currency": "EUR"}}, 400, "invalid_model",
         "amount.unit"),
        ({"amount": None}, 400, "invalid_model", "amount"),
        ({"recipient_name": None}, 400, "invalid_model", "recipient_name"),
        ({"recipient_name": "x" * 71}, 400, "invalid_model", "recipient_name"),
        ({"recipient_iban": "DE89370400440532013001"}, 400, "invalid_model", "recipient_iban"),
        ({"recipient_bic": "NOTABIC"}, 400, "invalid_model", "recipient_bic"),
        ({"reference": None}, 400, "invalid_model", "reference"),
        ({"reference": "INV-0042"}, 400, "invalid_model", "reference"),
        ({"description": "x" * 141}, 400, "invalid_model", "description"),
        ({"end_to_end_id": "x" * 36}, 400, "invalid_model", "end_to_end_id"),
        ({"change_request_enabled": "yes"}, 400, "type_error", "change_request_enabled"),
        ({"verification_of_payee_id": None}, 400, "invalid_model", "verification_of_payee_id"),
        ({"verification_of_payee_id": "nope"}, 400, "invalid_model", "verification_of_payee_id"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_made(api: Api, change, status, code, field):
    answer = api.pay(api.transfer_body(MATCH, **change))
    assert answer.status_code == status
    error = solaris_error(answer)
    assert (error["code"], error["source"]["field"]) == (code, field)
    assert sim_get(api.sim, "/transfers")["count"] == 0
    assert api.balance() == (OPENING, OPENING)


def test_a_body_that_is_not_json_is_400_invalid_json(api: Api):
    answer = api.post(api.person_path, content=b"{not json", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 400
    assert solaris_error(answer)["code"] == "invalid_json"


def test_the_verification_must_still_be_live(api: Api):
    body = api.transfer_body(MATCH)
    api.sim.clock.advance(300)
    answer = api.pay(body)
    assert answer.status_code == 422
    assert solaris_error(answer)["code"] == "verification_of_payee_expired"
    assert sim_get(api.sim, "/transfers")["count"] == 0


def test_the_verification_must_be_for_this_iban_and_name(api: Api):
    other = api.verify(NO_MATCH.iban, NO_MATCH.xero_name).json()["id"]
    answer = api.pay(api.transfer_body(MATCH, verification_of_payee_id=other))
    assert answer.status_code == 422
    assert solaris_error(answer)["code"] == "verification_of_payee_mismatch"
    renamed = api.pay(api.transfer_body(MATCH, recipient_name="Someone Else"))
    assert solaris_error(renamed)["code"] == "verification_of_payee_mismatch"


def test_a_close_match_may_pay_under_the_suggested_name(api: Api):
    answer = api.pay(api.transfer_body(CLOSE_MATCH, recipient_name=CLOSE_MATCH.holder))
    assert answer.status_code == 201
    assert answer.json()["recipient_name"] == CLOSE_MATCH.holder


def test_a_verification_serves_one_transfer_only(api: Api):
    body = api.transfer_body(MATCH)
    assert api.pay(body).status_code == 201
    second = api.pay({**body, "reference": str(uuid.uuid4())})
    assert second.status_code == 422
    assert solaris_error(second)["code"] == "verification_of_payee_already_used"
    used = api.get(f"/v1/verifications_of_payee/{body['verification_of_payee_id']}").json()
    assert used["used_for"]["type"] == "SCT"


def test_more_than_the_available_balance_is_refused_and_nothing_is_made(api: Api):
    sim_put(api.sim, "/balance", {"value": 10_000})
    too_much = api.pay(api.transfer_body(MATCH, cents=10_001))
    assert too_much.status_code == 422
    assert solaris_error(too_much)["code"] == "insufficient_funds"
    assert sim_get(api.sim, "/transfers")["count"] == 0
    assert api.balance() == (10_000, 10_000)
    assert api.pay(api.transfer_body(MATCH, cents=10_000)).status_code == 201
    assert api.balance() == (10_000, 0)
    # What is reserved is not available to the next transfer.
    assert api.pay(api.transfer_body(MATCH, cents=1)).status_code == 422


def test_a_transfer_reads_back_on_both_routes(api: Api):
    made = api.pay(api.transfer_body(MATCH)).json()
    by_person = api.get(f"{api.person_path}/{made['id']}")
    by_account = api.get(f"{api.account_path}/{made['id']}")
    assert by_person.status_code == by_account.status_code == 200
    assert by_person.json() == by_account.json() == made


def test_unknown_transfers_accounts_and_persons_are_404(api: Api):
    config = api.sim.config
    assert api.get(f"{api.account_path}/0000sctx").status_code == 404
    body = api.transfer_body(MATCH)
    for path in (
        f"/v1/persons/{config.person_id}/accounts/someone-elses/transactions/sepa_credit_transfer",
        f"/v1/persons/nobody/accounts/{config.account_id}/transactions/sepa_credit_transfer",
        "/v1/accounts/someone-elses/transactions/sepa_credit_transfer",
    ):
        answer = api.post(path, json=body)
        assert answer.status_code == 404, path
        assert solaris_error(answer)["code"] == "model_not_found"
    assert sim_get(api.sim, "/transfers")["count"] == 0
