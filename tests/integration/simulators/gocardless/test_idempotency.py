"""Idempotent creation as the SDK relies on it, and the faults that make it matter."""

from __future__ import annotations

import time

import gocardless_pro
import pytest
from gocardless_pro import errors

from devstack.gocardless_simulator import GoCardlessSimulator

from .conftest import http, mandate_for

PAYMENT = {"amount": 2_500, "currency": "EUR", "description": "INV-7"}


def payments_held(sim: GoCardlessSimulator) -> list[str]:
    return [p["id"] for p in sim.resources("payments")]


def test_the_same_idempotency_key_gives_the_same_payment(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    params = {**PAYMENT, "links": {"mandate": mandate_for(client, sim, "Successful")}}
    key = {"Idempotency-Key": "collect-INV-7"}
    first = client.payments.create(params=params, headers=key)
    again = client.payments.create(params=params, headers=key)
    assert again.id == first.id and again.amount == 2_500
    assert payments_held(sim) == [first.id]
    other = client.payments.create(params=params)  # the SDK's own fresh key
    assert payments_held(sim) == [first.id, other.id]
    strict = gocardless_pro.Client(
        access_token=sim.config.access_token, base_url=sim.url, raise_on_idempotency_conflict=True
    )
    with pytest.raises(errors.IdempotentCreationConflictError) as conflict:
        strict.payments.create(params=params, headers=key)
    assert conflict.value.conflicting_resource_id == first.id
    assert conflict.value.code == 409


def test_a_failed_create_does_not_use_up_its_key(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    mandate_id = mandate_for(client, sim, "Successful")
    key = {"Idempotency-Key": "collect-INV-8"}
    with pytest.raises(errors.ValidationFailedError):
        client.payments.create(
            params={**PAYMENT, "amount": -1, "links": {"mandate": mandate_id}}, headers=key
        )
    created = client.payments.create(
        params={**PAYMENT, "links": {"mandate": mandate_id}}, headers=key
    )
    assert payments_held(sim) == [created.id]


def test_an_answer_lost_on_the_way_back_still_makes_one_payment(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    """The SDK retries with the same key; the retry meets the conflict and the SDK fetches
    the payment the first attempt created."""
    params = {**PAYMENT, "links": {"mandate": mandate_for(client, sim, "Successful")}}
    sim.faults.add(kind="lost_answer", path_prefix="/payments", method="POST")
    payment = client.payments.create(params=params)
    assert payments_held(sim) == [payment.id]
    strict = gocardless_pro.Client(
        access_token=sim.config.access_token, base_url=sim.url, raise_on_idempotency_conflict=True
    )
    sim.faults.add(kind="lost_answer", path_prefix="/payments", method="POST")
    with pytest.raises(errors.IdempotentCreationConflictError) as conflict:
        strict.payments.create(params=params)  # the lost attempt did create it
    assert payments_held(sim) == [payment.id, conflict.value.conflicting_resource_id]


def test_a_server_error_creates_nothing_and_a_proxy_error_is_retried(
    client: gocardless_pro.Client, sim: GoCardlessSimulator
):
    params = {**PAYMENT, "links": {"mandate": mandate_for(client, sim, "Successful")}}
    sim.faults.add(kind="error", status=500, path_prefix="/payments", method="POST")
    with pytest.raises(errors.GoCardlessInternalError):
        client.payments.create(params=params)
    assert payments_held(sim) == []
    sim.faults.add(kind="error", status=502, json=False, times=2, path_prefix="/payments")
    assert client.payments.create(params=params).status == "pending_submission"
    assert len(payments_held(sim)) == 1


def test_a_slow_answer_is_slow(client: gocardless_pro.Client, sim: GoCardlessSimulator):
    added = http.post(
        f"{sim.url}/_sim/faults", json={"kind": "slow", "delay": 0.5, "path_prefix": "/customers"}
    )
    assert added.status_code == 201
    started = time.monotonic()
    assert client.customers.list().records == []
    assert time.monotonic() - started >= 0.5


def test_a_key_longer_than_gocardless_takes_is_refused(client: gocardless_pro.Client):
    with pytest.raises(errors.InvalidApiUsageError) as refused:
        client.customers.create(
            params={"given_name": "A", "family_name": "B"}, headers={"Idempotency-Key": "k" * 129}
        )
    assert refused.value.errors[0]["reason"] == "idempotency_key_too_long"
