"""Change requests: a transfer that waits for the person's TAN, made once when confirmed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.simulators.solaris.conftest import (
    MATCH,
    Api,
    sim_get,
    sim_post,
    solaris_error,
)

OPENING = 25_000_000


@pytest.fixture
def pending(api: Api) -> dict:
    """A transfer of EUR 250.00 waiting for its second factor."""
    body = api.transfer_body(MATCH, cents=25_000, change_request_enabled=True)
    answer = api.pay(body)
    assert answer.status_code == 202, answer.text
    return {"body": body, "change_request": answer.json()}


def test_a_change_request_is_202_and_makes_nothing_yet(api: Api, pending):
    change = pending["change_request"]
    assert change["status"] == "AUTHORIZATION_REQUIRED"
    assert change["url"].endswith(f"/v1/change_requests/{change['id']}/authorize")
    assert sim_get(api.sim, "/transfers")["count"] == 0
    assert api.balance() == (OPENING, OPENING)


def test_the_person_route_asks_for_a_change_request_by_default(api: Api):
    body = api.transfer_body(MATCH)
    del body["change_request_enabled"]
    answer = api.pay(body)
    assert answer.status_code == 202
    assert answer.json()["status"] == "AUTHORIZATION_REQUIRED"


def test_static_tan_confirms_and_the_answer_carries_the_transfer(api: Api, pending):
    change_id = pending["change_request"]["id"]
    authorized = api.authorize(change_id, "static")
    assert authorized.status_code == 201
    assert authorized.json()["status"] == "CONFIRMATION_REQUIRED"
    confirmed = api.confirm(change_id, "212212")
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert body["status"] == "COMPLETED"
    assert body["response_code"] == 201
    transfer = body["response_body"]
    assert transfer["status"] == "accepted"
    assert transfer["reference"] == pending["body"]["reference"]
    assert api.get(f"{api.account_path}/{transfer['id']}").json() == transfer
    assert api.balance() == (OPENING, OPENING - 25_000)


def test_confirming_twice_or_posting_the_reference_again_makes_no_second_transfer(
    api: Api, pending
):
    change_id = pending["change_request"]["id"]
    api.authorize(change_id)
    first = api.confirm(change_id, "212212").json()
    again = api.confirm(change_id, "212212")
    assert again.status_code == 200
    assert again.json()["response_body"]["id"] == first["response_body"]["id"]
    reposted = api.pay(pending["body"])
    assert reposted.status_code == 200
    assert reposted.json()["id"] == first["response_body"]["id"]
    assert sim_get(api.sim, "/transfers")["count"] == 1
    assert api.balance()[1] == OPENING - 25_000
    # Once the money has left, a late confirm still moves nothing more.
    sim_post(api.sim, "/settle")
    assert api.confirm(change_id, "212212").status_code == 200
    sim_post(api.sim, "/settle")
    assert api.balance() == (OPENING - 25_000, OPENING - 25_000)
    transfer_id = first["response_body"]["id"]
    assert api.get(f"{api.account_path}/{transfer_id}").json()["status"] == "executed"


def test_posting_the_reference_again_before_confirming_answers_the_same_change_request(
    api: Api, pending
):
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: api.pay(pending["body"]), range(10)))
    assert {a.status_code for a in answers} == {202}
    assert {a.json()["id"] for a in answers} == {pending["change_request"]["id"]}
    assert sim_get(api.sim, "/change_requests")["count"] == 1


def test_a_wrong_tan_is_403_invalid_tan_and_the_right_one_still_works(api: Api, pending):
    change_id = pending["change_request"]["id"]
    api.authorize(change_id)
    wrong = api.confirm(change_id, "000000")
    assert wrong.status_code == 403
    assert solaris_error(wrong)["code"] == "invalid_tan"
    assert sim_get(api.sim, "/transfers")["count"] == 0
    assert api.confirm(change_id, "212212").json()["status"] == "COMPLETED"


def test_three_wrong_tans_fail_the_change_request(api: Api, pending):
    change_id = pending["change_request"]["id"]
    api.authorize(change_id)
    for _ in range(3):
        assert api.confirm(change_id, "999999").status_code == 403
    failed = api.confirm(change_id, "212212")
    assert failed.status_code == 422
    assert solaris_error(failed)["code"] == "invalid_change_request_state"
    assert api.get(f"/v1/change_requests/{change_id}").json()["status"] == "FAILED"
    assert sim_get(api.sim, "/transfers")["count"] == 0
    # Nothing was made, so the reference (and its payee check) may try again.
    retry = api.pay(pending["body"])
    assert retry.status_code == 202
    assert retry.json()["id"] != change_id


def test_after_five_minutes_it_is_expired_until_authorized_again(api: Api, pending):
    change_id = pending["change_request"]["id"]
    api.authorize(change_id)
    api.sim.clock.advance(300)
    expired = api.confirm(change_id, "212212")
    assert expired.status_code == 422
    assert solaris_error(expired)["code"] == "change_request_expired"
    assert api.get(f"/v1/change_requests/{change_id}").json()["status"] == "EXPIRED"
    assert sim_get(api.sim, "/transfers")["count"] == 0
    # A new TAN cycle: authorise again, and the TAN works (the payee check is not redone).
    assert api.authorize(change_id).json()["status"] == "CONFIRMATION_REQUIRED"
    confirmed = api.confirm(change_id, "212212")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "COMPLETED"


def test_mobile_number_sends_a_fresh_tan_that_the_sandbox_tan_does_not_replace(api: Api, pending):
    change_id = pending["change_request"]["id"]
    api.authorize(change_id, "mobile_number")
    sent = next(c for c in sim_get(api.sim, "/change_requests")["change_requests"])
    assert sent["delivery_method"] == "mobile_number" and len(sent["tan"]) == 6
    if sent["tan"] != "212212":
        assert api.confirm(change_id, "212212").status_code == 403
    assert api.confirm(change_id, sent["tan"]).json()["status"] == "COMPLETED"


def test_confirming_before_authorizing_is_422(api: Api, pending):
    answer = api.confirm(pending["change_request"]["id"], "212212")
    assert answer.status_code == 422
    assert solaris_error(answer)["code"] == "invalid_change_request_state"


def test_another_person_may_not_authorize_or_confirm(api: Api, pending):
    change_id = pending["change_request"]["id"]
    body = {"delivery_method": "static", "person_id": "someone-else"}
    refused = api.post(f"/v1/change_requests/{change_id}/authorize", json=body)
    assert refused.status_code == 403
    assert solaris_error(refused)["code"] == "unauthorized_action"
    api.authorize(change_id)
    stranger = api.post(
        f"/v1/change_requests/{change_id}/confirm", json={"person_id": "x", "tan": "212212"}
    )
    assert stranger.status_code == 403
    assert sim_get(api.sim, "/transfers")["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"delivery_method": "carrier_pigeon"}, "delivery_method"),
        ({"delivery_method": "device_signing"}, "delivery_method"),
        ({"delivery_method": "static", "person_id": None}, "person_id"),
    ],
)
def test_bad_authorize_bodies_are_400(api: Api, pending, body, field):
    full = {"person_id": api.sim.config.person_id, **body}
    answer = api.post(f"/v1/change_requests/{pending['change_request']['id']}/authorize", json=full)
    assert answer.status_code == 400
    assert solaris_error(answer)["source"]["field"] == field


def test_unknown_change_requests_are_404(api: Api):
    assert api.authorize("0" * 32).status_code == 404
    assert api.confirm("0" * 32, "212212").status_code == 404
    assert solaris_error(api.get(f"/v1/change_requests/{'0' * 32}"))["code"] == "model_not_found"


def test_money_spent_meanwhile_is_checked_again_at_confirmation(api: Api, pending):
    change_id = pending["change_request"]["id"]
    api.authorize(change_id)
    big = api.transfer_body(MATCH, cents=OPENING - 10_000)
    assert api.pay(big).status_code == 201
    short = api.confirm(change_id, "212212")
    assert short.status_code == 422
    assert solaris_error(short)["code"] == "insufficient_funds"
    assert sim_get(api.sim, "/transfers")["count"] == 1
