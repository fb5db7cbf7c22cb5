"""Exactly one withdrawal per payment, whatever happens: duplicates, lost answers, crashes,
OKX saying the clientId exists (its code is not documented: we never depend on it)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.integration.simulators.okx.signing import OkxClient
from xero_bridge.persistence import payments as store
from xero_bridge.rails.okx import api as okx_api

from .conftest import ADDRESS, Crypto


def _pending(crypto: Crypto) -> dict[str, Any]:
    answer = crypto.submit(crypto.approved_address())
    assert answer.status == 202, answer
    return dict(answer.body)


def test_twenty_concurrent_submissions_and_approvals_make_one_withdrawal(crypto: Crypto) -> None:
    address_id = crypto.approved_address()
    key = str(uuid.uuid4())
    with ThreadPoolExecutor(max_workers=20) as pool:
        submitted = list(pool.map(lambda _: crypto.submit(address_id, key=key), range(20)))
    assert {a.status for a in submitted} <= {202, 409}, submitted
    ids = {a.body["payment_id"] for a in submitted if a.status == 202}
    assert len(ids) == 1
    payment = next(a.body for a in submitted if a.status == 202)
    approval_key = str(uuid.uuid4())
    with ThreadPoolExecutor(max_workers=20) as pool:
        # half of them one request repeated (one key), half of them ten people's (ten keys)
        keys = [approval_key if i % 2 else str(uuid.uuid4()) for i in range(20)]
        approvals = list(pool.map(lambda k: crypto.approve(payment, key=k), keys))
    assert any(a.status == 200 for a in approvals), approvals
    assert {a.status for a in approvals} <= {200, 409}, approvals
    assert len(crypto.withdrawals()) == 1
    assert crypto.later(21, payment)["status"] == "recorded"
    assert len(crypto.xero_created()) == 1


def test_a_lost_answer_is_found_by_clientid_and_never_sent_twice(crypto: Crypto) -> None:
    payment = _pending(crypto)
    crypto.fault(kind="lost", path_prefix="/api/v5/asset/withdrawal", method="POST", status=502)
    answer = crypto.approve(payment)
    assert answer.status == 200, answer  # looked up by clientId in the same request
    assert answer.body["status"] == "executing"
    [withdrawal] = crypto.withdrawals()
    assert answer.body["rail_reference"] == withdrawal["wdId"]


def test_a_crash_after_okx_accepted_then_a_retry_makes_one_withdrawal(
    crypto: Crypto, monkeypatch: pytest.MonkeyPatch
) -> None:
    payment = _pending(crypto)
    real = okx_api.OkxApi.withdraw

    def accepted_then_crashed(self: okx_api.OkxApi, body: dict[str, str]) -> dict[str, Any]:
        real(self, body)
        raise RuntimeError("the Lambda died before it stored OKX's answer")

    monkeypatch.setattr(okx_api.OkxApi, "withdraw", accepted_then_crashed)
    key = str(uuid.uuid4())
    crashed = crypto.approve(payment, key=key)
    assert crashed.status == 500
    stored = store.get(crypto.connected.tenant_a, payment["payment_id"])
    assert stored is not None and stored.status == "submitted" and stored.rail_sent_at
    monkeypatch.setattr(okx_api.OkxApi, "withdraw", real)
    retried = crypto.approve(payment, key=key)
    assert retried.status == 200, retried
    assert len(crypto.withdrawals()) == 1
    assert retried.body["rail_reference"] == crypto.withdrawals()[0]["wdId"]
    again = crypto.approve(payment)  # a third time, another key: as it is
    assert again.status == 200 and len(crypto.withdrawals()) == 1


def test_okx_saying_the_clientid_exists_means_reading_that_withdrawal(crypto: Crypto) -> None:
    payment = _pending(crypto)
    stored = store.get(crypto.connected.tenant_a, payment["payment_id"])
    assert stored is not None and stored.rail_key
    client_id = uuid.UUID(stored.rail_key).hex
    # A withdrawal under our clientId exists already (an earlier send whose answer was lost).
    with httpx.Client(timeout=10) as http:
        made = OkxClient(crypto.sim.url, crypto.sim.clock.now, http).withdraw(
            ccy="USDT",
            amt=payment["crypto"]["quote"]["crypto_amount"],
            toAddr=ADDRESS,
            clientId=client_id,
        )
    assert made.json()["code"] == "0"
    answer = crypto.approve(payment)  # OKX answers 58404: we look it up by clientId
    assert answer.status == 200, answer
    assert len(crypto.withdrawals()) == 1
    assert answer.body["rail_reference"] == crypto.withdrawals()[0]["wdId"]


def test_an_unknown_outcome_is_settled_by_the_poller(crypto: Crypto) -> None:
    payment = _pending(crypto)
    crypto.fault(kind="lost", path_prefix="/api/v5/asset/withdrawal", method="POST", status=503)
    crypto.fault(kind="error", status=503, times=3, path_prefix="/api/v5/asset/withdrawal-history")
    answer = crypto.approve(payment)
    assert answer.status == 503, answer  # made or not, we cannot tell yet
    assert crypto.get(payment["payment_id"])["status"] == "submitted"
    crypto.poll()  # reads it by clientId: a read never makes a withdrawal
    assert crypto.get(payment["payment_id"])["status"] == "executing"
    assert crypto.later(21, payment)["status"] == "recorded"
    assert len(crypto.withdrawals()) == 1 and len(crypto.xero_created()) == 1
