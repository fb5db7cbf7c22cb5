"""Payments against a mandate: the sandbox scenarios to their end states with GoCardless's
events, the banks' calendar for everyone else, and what GoCardless refuses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import gocardless_pro
import pytest
from gocardless_pro import errors

from devstack.gocardless_simulator import GoCardlessSimulator

from .conftest import STEP, mandate_for

SUBMITTED = ("submitted", "payment_submitted", "gocardless")
CONFIRMED = ("confirmed", "payment_confirmed", "gocardless")
PAID_OUT = ("paid_out", "payment_paid_out", "gocardless")
INSUFFICIENT_FUNDS = ("failed", "insufficient_funds", "bank")
DAY, HOUR = 86400, 3600


def collect(client: gocardless_pro.Client, mandate_id: str, amount: int = 12_345):
    return client.payments.create(
        params={
            "amount": amount,
            "currency": "EUR",
            "description": "Invoice INV-0042",
            "metadata": {"invoice_id": "INV-0042"},
            "links": {"mandate": mandate_id},
        }
    )


def payment_events(client: gocardless_pro.Client, payment_id: str) -> list[tuple]:
    events = client.events.list(params={"payment": payment_id}).records
    return [(e.action, e.details.cause, e.details.origin) for e in reversed(events)]


@pytest.mark.parametrize(
    ("given_name", "end", "steps"),
    [
        ("Successful", "paid_out", [SUBMITTED, CONFIRMED, PAID_OUT]),
        ("Penniless", "failed", [SUBMITTED, INSUFFICIENT_FUNDS]),
        (
            "Fickle",
            "charged_back",
            [SUBMITTED, CONFIRMED, PAID_OUT, ("charged_back", "refund_requested", "bank")],
        ),
        ("Late", "failed", [SUBMITTED, CONFIRMED, INSUFFICIENT_FUNDS]),
    ],
)
def test_sandbox_scenarios_reach_their_end_state(
    client: gocardless_pro.Client, sim: GoCardlessSimulator, given_name, end, steps
):
    mandate_id = mandate_for(client, sim, given_name)
    payment = collect(client, mandate_id)
    assert payment.id.startswith("PM")
    assert (payment.status, payment.amount, payment.currency) == (
        "pending_submission",
        12_345,
        "EUR",
    )
    sim.advance(STEP)
    assert client.payments.get(payment.id).status == "submitted"
    sim.advance(len(steps) * STEP)
    assert client.payments.get(payment.id).status == end
    assert payment_events(client, payment.id) == [("created", "payment_created", "api"), *steps]


def test_a_failure_says_what_the_bank_said(client: gocardless_pro.Client, sim: GoCardlessSimulator):
    payment = collect(client, mandate_for(client, sim, "Penniless"))
    sim.advance(5 * STEP)
    failed = client.events.list(params={"payment": payment.id, "action": "failed"}).records[0]
    assert failed.details.scheme == "sepa_core"
    assert failed.details.reason_code == "AM04"
    assert failed.details.will_attempt_retry is False
    assert failed.resource_metadata == {"invoice_id": "INV-0042"}


def test_an_ordinary_customer_follows_the_banks_calendar(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    mandate_id = mandate_for(client, sim, "Maria")
    mandate = client.mandates.get(mandate_id)
    charge_date = date.fromisoformat(mandate.next_possible_charge_date) + timedelta(days=5)
    payment = client.payments.create(
        params={
            "amount": 5_000,
            "currency": "EUR",
            "charge_date": charge_date.isoformat(),
            "links": {"mandate": mandate_id},
        }
    )
    charge_midnight = datetime(charge_date.year, charge_date.month, charge_date.day, tzinfo=UTC)
    expected = [
        (-2 * DAY - HOUR, "pending_submission"),
        (-2 * DAY + HOUR, "submitted"),  # two days before the charge date, to the banks
        (DAY - HOUR, "submitted"),
        (DAY + HOUR, "confirmed"),  # the day after the charge date
        (2 * DAY + HOUR, "paid_out"),
    ]
    for offset, status in expected:
        sim.advance(charge_midnight.timestamp() + offset - sim.clock.now())
        assert client.payments.get(payment.id).status == status, offset
    # The earliest charge date moves on with the calendar.
    soonest = (sim.clock.today() + timedelta(days=3)).isoformat()
    assert client.mandates.get(mandate_id).next_possible_charge_date == soonest


def test_what_a_payment_must_be(client: gocardless_pro.Client, sim: GoCardlessSimulator):
    mandate_id = mandate_for(client, sim, "Successful")
    cases: list[tuple[dict[str, object], str, str]] = [
        ({"amount": 0, "currency": "EUR"}, "amount", "must be greater than or equal to 1"),
        ({"amount": 10.5, "currency": "EUR"}, "amount", "must be an integer"),
        ({"amount": "1000", "currency": "EUR"}, "amount", "must be an integer"),
        ({"amount": 1000, "currency": "GBP"}, "currency", "must be EUR for a sepa_core mandate"),
        (
            {"amount": 1000, "currency": "EUR", "charge_date": sim.clock.today().isoformat()},
            "charge_date",
            "must be on or after mandate's next_possible_charge_date",
        ),
    ]
    for params, field, message in cases:
        with pytest.raises(errors.ValidationFailedError) as refused:
            client.payments.create(params={**params, "links": {"mandate": mandate_id}})
        found = refused.value.errors[0]
        assert found["field"] == field and found["message"].startswith(message), params
        assert found["request_pointer"] == f"/payments/{field}"
    with pytest.raises(errors.ValidationFailedError) as no_mandate:
        client.payments.create(params={"amount": 1000, "currency": "EUR"})
    assert no_mandate.value.errors[0]["request_pointer"] == "/payments/links/mandate"
    with pytest.raises(errors.InvalidApiUsageError) as unknown:
        client.payments.create(
            params={"amount": 1000, "currency": "EUR", "links": {"mandate": "MD000000000000"}}
        )
    assert unknown.value.code == 404
    assert client.payments.list().records == []


def test_a_cancelled_mandate_takes_no_payments_and_cancels_the_pending_ones(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    mandate_id = mandate_for(client, sim, "Successful")
    pending = collect(client, mandate_id)
    cancelled = client.mandates.cancel(mandate_id, params={"metadata": {"why": "closed"}})
    assert cancelled.status == "cancelled"
    assert client.payments.get(pending.id).status == "cancelled"
    with pytest.raises(errors.InvalidStateError) as inactive:
        collect(client, mandate_id)
    assert inactive.value.errors[0]["reason"] == "mandate_is_inactive"
    with pytest.raises(errors.InvalidStateError) as twice:
        client.mandates.cancel(mandate_id)
    assert twice.value.errors[0]["reason"] == "cancellation_failed"


def test_cancel_only_before_submission_and_retry_only_after_failure(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    mandate_id = mandate_for(client, sim, "Penniless")
    payment = collect(client, mandate_id)
    with pytest.raises(errors.InvalidStateError) as not_failed:
        client.payments.retry(payment.id)
    assert not_failed.value.errors[0]["reason"] == "retry_failed"
    sim.advance(STEP)
    with pytest.raises(errors.InvalidStateError) as too_late:
        client.payments.cancel(payment.id)
    assert too_late.value.errors[0]["reason"] == "cancellation_failed"
    sim.advance(STEP)
    retried = client.payments.retry(payment.id, params={"metadata": {"attempt": "2"}})
    assert retried.status == "pending_submission"
    sim.advance(3 * STEP)
    assert client.payments.get(payment.id).status == "failed"  # still penniless
    actions = [step[0] for step in payment_events(client, payment.id)]
    assert actions == [
        "created",
        "submitted",
        "failed",
        "resubmission_requested",
        "submitted",
        "failed",
    ]
    kept = collect(client, mandate_id)
    assert client.payments.cancel(kept.id).status == "cancelled"


def test_lists_filter_and_page_with_cursors(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    mandate_id = mandate_for(client, sim, "Successful")
    ids = [collect(client, mandate_id, amount).id for amount in (100, 200, 300)]
    first = client.payments.list(params={"limit": 2})
    assert [p.id for p in first.records] == [ids[2], ids[1]]  # newest first
    assert first.after == ids[1] and first.before is None
    rest = client.payments.list(params={"limit": 2, "after": first.after})
    assert [p.id for p in rest.records] == [ids[0]] and rest.after is None
    assert [p.id for p in client.payments.all(params={"limit": 1})] == list(reversed(ids))
    client.payments.cancel(ids[0])
    cancelled = client.payments.list(params={"status": "cancelled", "mandate": mandate_id})
    assert [p.id for p in cancelled.records] == [ids[0]]
    with pytest.raises(errors.ValidationFailedError):
        client.payments.list(params={"status": "lost"})


def test_a_collected_payment_can_be_refunded_up_to_its_amount(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    payment = collect(client, mandate_for(client, sim, "Successful"), 10_000)
    with pytest.raises(errors.InvalidStateError):
        client.refunds.create(
            params={
                "amount": 100,
                "total_amount_confirmation": 100,
                "links": {"payment": payment.id},
            }
        )
    sim.advance(3 * STEP)
    refund = client.refunds.create(
        params={
            "amount": 4_000,
            "total_amount_confirmation": 4_000,
            "links": {"payment": payment.id},
        }
    )
    assert refund.id.startswith("RF") and refund.status == "pending_submission"
    assert client.payments.get(payment.id).amount_refunded == 4_000
    with pytest.raises(errors.ValidationFailedError) as too_much:
        client.refunds.create(
            params={
                "amount": 7_000,
                "total_amount_confirmation": 11_000,
                "links": {"payment": payment.id},
            }
        )
    assert too_much.value.errors[0]["field"] == "amount"
    sim.advance(STEP)
    assert client.refunds.get(refund.id).status == "paid"


def test_the_scenario_simulator_settles_a_late_failure(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    payment = collect(client, mandate_for(client, sim, "Maria"))
    client.scenario_simulators.run(
        "payment_late_failure_settled", params={"links": {"resource": payment.id}}
    )
    assert client.payments.get(payment.id).status == "failed"
    assert [step[0] for step in payment_events(client, payment.id)] == [
        "created",
        "submitted",
        "confirmed",
        "paid_out",
        "failed",
        "late_failure_settled",
    ]
    with pytest.raises(errors.InvalidStateError):
        client.scenario_simulators.run(
            "payment_paid_out", params={"links": {"resource": payment.id}}
        )
