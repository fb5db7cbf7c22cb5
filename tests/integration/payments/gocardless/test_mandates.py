"""A customer's direct-debit mandate: asked for through GoCardless's billing request flow,
authorised by the customer on GoCardless's page, then followed by its webhooks — whatever
order they come in, however often."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import gocardless_pro

from devstack.xero_simulator.seed import A_CUSTOMER_2_ID
from devstack.xero_simulator.seed_direct_debit import CUSTOMERS
from xero_bridge.persistence import audit
from xero_bridge.rails.gocardless import mandates as mandate_flow

from .conftest import HTTP, STEP


def sdk(dd) -> gocardless_pro.Client:
    return gocardless_pro.Client(access_token=dd.sim.config.access_token, base_url=dd.sim.url)


def mandate_trail(dd, scenario: str) -> list[str]:
    subject = audit.mandate_subject(dd.tenant, CUSTOMERS[scenario].contact_id)
    return [entry.action for entry in audit.entries_for(subject)]


def test_a_mandate_is_authorised_on_the_page_and_followed_to_active(dd):
    asked = dd.ask_mandate("Successful", body={"redirect_uri": "https://shop.example/thanks"})
    assert asked.status == 201, asked
    assert asked.body["status"] == "awaiting_authorisation" and not asked.body["collectable"]
    assert asked.body["currency"] == "EUR" and asked.body["scheme"] == "sepa_core"
    url = asked.body["authorisation_url"]
    assert url.startswith(dd.sim.url + "/billing/static/flow?id=BRF")

    page = HTTP.get(url).text  # the contact as Xero holds it fills the page in
    for shown in ('value="Successful"', 'value="Schmidt"', 'value="Hauptstr. 1"',
                  'value="successful.schmidt@example.de"', 'value="DE"'):  # fmt: skip
        assert shown in page, shown
    done = dd.authorise(url)
    assert done.status_code == 303 and done.headers["location"] == "https://shop.example/thanks"
    assert dd.mandate().body["status"] == "awaiting_authorisation"  # no webhook yet

    dd.flush()
    after_page = dd.mandate().body
    assert after_page["status"] == "pending_submission" and after_page["collectable"]
    assert after_page["mandate_id"].startswith("MD")
    dd.advance(STEP)
    dd.flush()
    assert dd.mandate().body["status"] == "submitted"
    dd.advance(STEP)
    dd.flush()
    active = dd.mandate().body
    assert active["status"] == "active" and active["next_possible_charge_date"]
    assert mandate_trail(dd, "Successful") == [
        "mandate_requested", "mandate_pending_submission", "mandate_submitted", "mandate_active",
    ]  # fmt: skip
    published = [e.detail_type for e in dd.events.events if e.detail_type.startswith("mandate.")]
    assert published == [
        "mandate.awaiting_authorisation", "mandate.pending_submission", "mandate.submitted",
        "mandate.active",
    ]  # fmt: skip


def test_webhooks_out_of_order_and_again_end_at_the_mandate_as_it_is(dd):
    asked = dd.ask_mandate("Successful")
    dd.authorise(asked.body["authorisation_url"])
    dd.advance(3 * STEP)
    sent = dd.send(order="reverse", separate=True)  # newest first, one webhook per event
    assert len(sent) > 5
    for webhook in sent[:3]:
        dd.redeliver(webhook["id"])
    assert set(dd.deliver()) == {200}
    assert dd.work()["failed"] == []
    assert dd.mandate().body["status"] == "active"
    # the mandate was read where it stands: one change straight to active, none backwards
    assert mandate_trail(dd, "Successful") == ["mandate_requested", "mandate_active"]


def test_asking_again_answers_the_open_authorisation(dd):
    first = dd.ask_mandate("Penniless")
    again = dd.ask_mandate("Penniless")
    assert (first.status, again.status) == (201, 200)
    assert again.body["authorisation_url"] == first.body["authorisation_url"]
    assert len(dd.sim_resources("billing_requests")) == 1


def test_people_asking_at_once_make_one_billing_request(dd):
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: dd.ask_mandate("Fickle"), range(6)))
    assert sorted(a.status for a in answers) == [200] * 5 + [201], answers
    assert len({a.body["billing_request_id"] for a in answers}) == 1
    assert len(dd.sim_resources("billing_requests")) == 1


def test_an_active_mandate_is_answered_as_it_is(dd):
    active = dd.active_mandate("Successful")
    again = dd.ask_mandate("Successful")
    assert again.status == 200 and again.body["mandate_id"] == active["mandate_id"]
    other = dd.ask_mandate("Successful", body={"currency": "GBP"})
    assert other.status == 409, other  # one mandate per customer
    assert len(dd.sim_resources("billing_requests")) == 1


def test_a_cancelled_mandate_can_be_asked_for_again(dd):
    active = dd.active_mandate("Late")
    sdk(dd).mandates.cancel(active["mandate_id"])  # the business cancels it at GoCardless
    dd.flush()
    cancelled = dd.mandate("Late").body
    assert cancelled["status"] == "cancelled" and not cancelled["collectable"]
    assert cancelled["cause"] == "mandate_cancelled"
    again = dd.ask_mandate("Late")
    assert again.status == 201 and again.body["status"] == "awaiting_authorisation"
    assert again.body["billing_request_id"] != active["billing_request_id"]
    assert len(dd.sim_resources("billing_requests")) == 2


def test_a_cancelled_or_expired_authorisation_is_shown_and_replaced(dd, monkeypatch):
    monkeypatch.setattr(
        mandate_flow, "clock", lambda: datetime.fromtimestamp(dd.sim.clock.now(), UTC)
    )
    asked = dd.ask_mandate("Fickle")
    sdk(dd).billing_requests.cancel(asked.body["billing_request_id"])
    dd.flush()
    assert dd.mandate("Fickle").body["status"] == "authorisation_cancelled"
    again = dd.ask_mandate("Fickle")
    assert again.status == 201
    dd.advance(7 * 86400 + 1)  # GoCardless's page works for a week
    assert dd.mandate("Fickle").body["status"] == "authorisation_expired"
    assert dd.ask_mandate("Fickle").status == 201


def test_a_late_webhook_of_an_older_attempt_changes_nothing(dd):
    first = dd.ask_mandate("Penniless")
    sdk(dd).billing_requests.cancel(first.body["billing_request_id"])
    dd.flush()
    second = dd.ask_mandate("Penniless")
    dd.authorise(second.body["authorisation_url"])
    dd.flush()
    assert dd.mandate("Penniless").body["status"] == "pending_submission"
    webhooks = HTTP.get(f"{dd.sim.url}/_sim/webhooks").json()["webhooks"]
    dd.redeliver(webhooks[0]["id"])  # the first attempt's events, again
    dd.deliver()
    dd.work()
    shown = dd.mandate("Penniless").body
    assert shown["status"] == "pending_submission"
    assert shown["billing_request_id"] == second.body["billing_request_id"]


def test_what_a_mandate_request_must_be(dd):
    no_currency = dd.ask_mandate(A_CUSTOMER_2_ID)  # a NZD customer: which scheme?
    assert no_currency.status == 422 and no_currency.body["error"]["code"] == (
        "currency_not_supported"
    )
    assert dd.ask_mandate(A_CUSTOMER_2_ID, body={"currency": "USD"}).status == 400
    assert dd.ask_mandate("Successful", body={"redirect_uri": "http://shop.example/"}).status == 400
    assert dd.ask_mandate("Successful", body={"extra": 1}).status == 400
    unknown = dd.ask_mandate("00000000-0000-4000-8000-00000000dead")
    assert unknown.status == 404
    assert dd.ask_mandate("not-a-guid").status == 400
    assert dd.mandate("Successful").status == 404  # never asked
    assert dd.sim_resources("billing_requests") == []
    bacs = dd.ask_mandate(A_CUSTOMER_2_ID, body={"currency": "GBP"})
    assert bacs.status == 201 and bacs.body["scheme"] == "bacs"


def test_only_people_granted_the_tenant_reach_its_mandates(dd):
    assert dd.ask_mandate("Successful", sub="mallory").status == 403
    assert dd.mandate("Successful", sub="mallory").status == 403
    assert dd.sim_resources("billing_requests") == []
