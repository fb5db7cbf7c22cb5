"""From a billing request to an active mandate: the hosted HTML page, and the API's actions."""

from __future__ import annotations

import gocardless_pro
import pytest
from gocardless_pro import errors

from devstack.gocardless_simulator import GoCardlessSimulator

from .conftest import ADDRESS, STEP, authorise_on_page, http


def test_the_payer_sets_up_a_mandate_on_the_hosted_page(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    request = client.billing_requests.create(
        params={"mandate_request": {"currency": "EUR"}, "metadata": {"invoice": "INV-0042"}}
    )
    assert request.id.startswith("BRQ") and request.status == "pending"
    assert {a["type"]: a["status"] for a in request.actions} == {
        "collect_customer_details": "pending",
        "collect_bank_account": "pending",
        "confirm_payer_details": "pending",
    }
    flow = client.billing_request_flows.create(
        params={
            "links": {"billing_request": request.id},
            "redirect_uri": "https://shop.example/thanks",
            "prefilled_customer": {"email": "anna@example.com"},
        }
    )
    assert flow.id.startswith("BRF")
    assert flow.authorisation_url.startswith(sim.url + "/")

    page = http.get(flow.authorisation_url)
    assert page.status_code == 200 and "<form" in page.text
    assert 'value="anna@example.com"' in page.text  # prefilled
    done = authorise_on_page(
        flow.authorisation_url, given_name="Anna", family_name="Schmidt", **ADDRESS
    )
    assert done.status_code == 303
    assert done.headers["location"] == "https://shop.example/thanks"

    fulfilled = client.billing_requests.get(request.id)
    assert fulfilled.status == "fulfilled"
    customer = client.customers.get(fulfilled.links.customer)
    assert (customer.given_name, customer.email, customer.city) == (
        "Anna",
        "anna@example.com",
        "Berlin",
    )
    account = client.customer_bank_accounts.get(fulfilled.links.customer_bank_account)
    assert account.account_holder_name == "Anna Schmidt" and account.account_number_ending == "00"
    mandate = client.mandates.get(fulfilled.links.mandate_request_mandate)
    assert mandate.id.startswith("MD") and mandate.scheme == "sepa_core"
    assert mandate.status == "pending_submission"
    assert mandate.links.customer == customer.id

    sim.advance(3600)
    assert client.mandates.get(mandate.id).status == "submitted"
    sim.advance(2 * 86400)
    assert client.mandates.get(mandate.id).status == "active"
    assert_events_tell_the_story(client, request.id, mandate.id)


def assert_events_tell_the_story(
    client: gocardless_pro.Client, request_id: str, mandate_id: str
) -> None:
    actions = [e.action for e in client.events.list(params={"billing_request": request_id}).records]
    assert list(reversed(actions)) == [
        "created",
        "flow_created",
        "flow_visited",
        "flow_visited",
        "collect_customer_details",
        "collect_bank_account",
        "payer_details_confirmed",
        "fulfilled",
    ]
    mandate_events = client.events.list(params={"mandate": mandate_id}).records
    assert [(e.action, e.details.cause) for e in reversed(mandate_events)] == [
        ("created", "mandate_created"),
        ("submitted", "mandate_submitted"),
        ("active", "mandate_activated"),
    ]


def test_the_page_refuses_a_wrong_iban_and_keeps_the_request_open(
    client: gocardless_pro.Client,
):
    request = client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    flow = client.billing_request_flows.create(params={"links": {"billing_request": request.id}})
    answer = authorise_on_page(
        flow.authorisation_url,
        given_name="Anna",
        family_name="Schmidt",
        email="anna@example.com",
        iban="DE89370400440532013001",  # check digits wrong
        **ADDRESS,
    )
    assert answer.status_code == 422
    assert "iban is invalid" in answer.text
    assert client.billing_requests.get(request.id).status == "pending"
    assert client.mandates.list().records == []


def test_an_expired_or_unknown_link_cannot_be_used(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    request = client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    flow = client.billing_request_flows.create(params={"links": {"billing_request": request.id}})
    sim.advance(7 * 86400 + 1)
    assert http.get(flow.authorisation_url).status_code == 410
    assert http.get(sim.url + "/billing/static/flow?id=BRF000000000000").status_code == 404


def test_the_api_actions_lead_to_the_same_mandate(client: gocardless_pro.Client):
    request = client.billing_requests.create(params={"mandate_request": {"currency": "GBP"}})
    with pytest.raises(errors.InvalidStateError) as not_ready:
        client.billing_requests.fulfil(request.id)
    assert not_ready.value.errors[0]["reason"] == "billing_request_not_ready_to_fulfil"
    with pytest.raises(errors.ValidationFailedError) as no_email:
        client.billing_requests.collect_customer_details(
            request.id, params={"customer": {"given_name": "Tom", "family_name": "Jones"}}
        )
    assert no_email.value.errors[0]["field"] == "email"
    client.billing_requests.collect_customer_details(
        request.id,
        params={
            "customer": {"given_name": "Tom", "family_name": "Jones", "email": "t@example.com"}
        },
    )
    with pytest.raises(errors.ValidationFailedError) as bad_sort_code:
        client.billing_requests.collect_bank_account(
            request.id,
            params={
                "account_holder_name": "Tom Jones",
                "account_number": "55779911",
                "branch_code": "20-00",
                "country_code": "GB",
            },
        )
    assert bad_sort_code.value.errors[0]["field"] == "branch_code"
    client.billing_requests.collect_bank_account(
        request.id,
        params={
            "account_holder_name": "Tom Jones",
            "account_number": "55779911",
            "branch_code": "200000",
            "country_code": "GB",
        },
    )
    ready = client.billing_requests.confirm_payer_details(request.id)
    assert ready.status == "ready_to_fulfil"
    fulfilled = client.billing_requests.fulfil(request.id)
    assert fulfilled.status == "fulfilled"
    mandate = client.mandates.get(fulfilled.links.mandate_request_mandate)
    assert mandate.scheme == "bacs"
    with pytest.raises(errors.InvalidStateError):
        client.billing_requests.cancel(request.id)


def test_a_billing_request_needs_a_request_and_a_supported_currency(
    client: gocardless_pro.Client,
):
    with pytest.raises(errors.ValidationFailedError) as nothing:
        client.billing_requests.create(params={"metadata": {}})
    assert nothing.value.errors[0]["field"] == "mandate_request"
    with pytest.raises(errors.ValidationFailedError) as usd:
        client.billing_requests.create(params={"mandate_request": {"currency": "USD"}})
    assert usd.value.errors[0]["request_pointer"] == "/billing_requests/mandate_request/currency"


def test_a_cancelled_request_closes_its_page(client: gocardless_pro.Client):
    request = client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    flow = client.billing_request_flows.create(params={"links": {"billing_request": request.id}})
    assert client.billing_requests.cancel(request.id).status == "cancelled"
    assert http.get(flow.authorisation_url).status_code == 410
    with pytest.raises(errors.InvalidStateError):
        client.billing_request_flows.create(params={"links": {"billing_request": request.id}})


def test_a_payment_request_alone_is_paid_by_bank_on_the_page(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    request = client.billing_requests.create(
        params={"payment_request": {"amount": 4_200, "currency": "GBP", "description": "INV-9"}}
    )
    assert [a["type"] for a in request.actions] == [
        "collect_customer_details",
        "bank_authorisation",
    ]
    flow = client.billing_request_flows.create(params={"links": {"billing_request": request.id}})
    done = authorise_on_page(
        flow.authorisation_url, given_name="Tom", family_name="Jones", email="tom@example.com"
    )
    assert done.status_code == 200 and "All done" in done.text
    fulfilled = client.billing_requests.get(request.id)
    payment = client.payments.get(fulfilled.links.payment_request_payment)
    assert (payment.amount, payment.currency, payment.scheme) == (4_200, "GBP", "faster_payments")
    assert payment.links.mandate is None
    sim.advance(3 * STEP)
    assert client.payments.get(payment.id).status == "paid_out"


def test_a_mandate_request_with_a_payment_request_collects_on_the_new_mandate(
    client: gocardless_pro.Client,
):
    request = client.billing_requests.create(
        params={
            "mandate_request": {"currency": "EUR"},
            "payment_request": {"amount": 1_000, "currency": "EUR"},
        }
    )
    flow = client.billing_request_flows.create(params={"links": {"billing_request": request.id}})
    authorise_on_page(
        flow.authorisation_url,
        given_name="Successful",
        family_name="Tester",
        email="s@example.com",
        **ADDRESS,
    )
    fulfilled = client.billing_requests.get(request.id)
    payment = client.payments.get(fulfilled.links.payment_request_payment)
    assert payment.links.mandate == fulfilled.links.mandate_request_mandate
    assert payment.scheme == "sepa_core" and payment.status == "pending_submission"
