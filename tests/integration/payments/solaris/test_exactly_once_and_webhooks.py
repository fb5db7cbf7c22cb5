"""Exactly once across duplicates, lost answers and webhooks: Solaris makes one transfer and
Xero gets one payment, whatever is repeated, lost or forged."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.events import call_handler, http_api_event
from xero_bridge.persistence import audit
from xero_bridge.rails.callbacks.solaris import sign


def _through_to_recorded(rail, payment_id: str) -> None:
    assert rail.confirm(payment_id).status == 200
    rail.settle()
    rail.deliver()
    rail.work()


def test_twenty_concurrent_submissions_with_one_key_make_one_transfer(rail):
    key = str(uuid.uuid4())
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: rail.submit("match", key=key), range(20)))
    assert {a.status for a in answers} <= {200, 409}, answers
    ids = {a.body["payment_id"] for a in answers if a.status == 200}
    assert len(ids) == 1
    assert rail.sim_get("/change_requests")["count"] == 1
    _through_to_recorded(rail, ids.pop())
    assert rail.sim_get("/transfers")["count"] == 1
    assert len(rail.xero_payments()) == 1


@pytest.mark.parametrize("lost", [0, 502], ids=["connection-closed", "answer-502"])
def test_a_lost_answer_after_solaris_accepted_then_a_retry_makes_one_transfer(rail, lost):
    path = f"/v1/persons/{rail.sim.config.person_id}/accounts/{rail.sim.config.account_id}"
    rail.fault(kind="lose", status=lost, path_prefix=path, method="POST",
               times=rail_attempts())  # every attempt of the first request  # fmt: skip
    key = str(uuid.uuid4())
    first = rail.submit("match", key=key)
    assert first.status == 503, first  # we cannot tell: retry with the same key
    assert rail.sim_get("/change_requests")["count"] == 1  # Solaris did make it
    again = rail.submit("match", key=key)
    assert again.status == 200, again
    assert again.body["status"] == "awaiting_confirmation"
    assert rail.sim_get("/change_requests")["count"] == 1
    _through_to_recorded(rail, again.body["payment_id"])
    assert rail.sim_get("/transfers")["count"] == 1
    assert len(rail.xero_payments()) == 1


def rail_attempts() -> int:
    from xero_bridge.settings import get_settings

    return get_settings().solaris_max_attempts


def test_a_5xx_from_solaris_is_retried_and_harmless(rail):
    rail.fault(kind="error", status=503, path_prefix="/v1/verifications_of_payee", times=1)
    rail.fault(kind="lose", status=502, path_prefix="/v1/change_requests", times=1)
    answer = rail.submit("match")
    assert answer.status == 200 and answer.body["status"] == "awaiting_confirmation", answer
    assert rail.sim_get("/change_requests")["count"] == 1


def test_the_token_is_cached_and_renewed_when_it_expires(rail):
    rail.submit("match")
    rail.submit("declines")
    tokens = [c for c in rail.sim_get("/calls")["calls"] if c["path"] == "/oauth2/token"]
    assert len(tokens) == 1  # one token for every call of both payments
    rail.sim.advance(3601)  # Solaris forgot it: the API answers 401, a new one is fetched
    assert rail.submit("close_match").status == 202
    tokens = [c for c in rail.sim_get("/calls")["calls"] if c["path"] == "/oauth2/token"]
    assert len(tokens) == 2


def _webhook(headers: dict[str, str], body: bytes) -> int:
    event = http_api_event("POST", "/webhooks/solaris", route_key="POST /webhooks/solaris",
                           headers=headers, body=body.decode())  # fmt: skip
    return int(call_handler("rail_callback_intake", event)["statusCode"])


def test_unsigned_wrongly_signed_and_altered_webhooks_are_refused_and_queue_nothing(rail):
    payment_id = rail.submit("match").body["payment_id"]
    rail.confirm(payment_id)
    rail.settle()
    [(headers, body)] = rail.recorder.take()
    headers = {k.lower(): v for k, v in headers.items()}
    secret = rail.sim.config.webhook_secret
    missing = {k: v for k, v in headers.items() if k != "solaris-webhook-signature"}
    wrong = {**headers, "solaris-webhook-signature": sign(body, "not-the-secret")}
    altered = body.replace(b'"amount":{"value":-', b'"amount":{"value":-1')
    assert altered != body
    assert _webhook(missing, body) == 401
    assert _webhook(wrong, body) == 401
    assert _webhook(headers, altered) == 401
    assert _webhook({**headers, "solaris-webhook-signature": "sha256="}, body) == 401
    assert rail.work()["batches"] == 0  # nothing was queued
    assert rail.get(payment_id)["status"] == "executing"
    assert sign(body, secret) == headers["solaris-webhook-signature"]
    assert _webhook(headers, body) == 200
    rail.work()
    assert rail.get(payment_id)["status"] == "recorded"


def test_a_replayed_webhook_records_nothing_twice(rail):
    payment_id = rail.submit("match").body["payment_id"]
    _through_to_recorded(rail, payment_id)
    trail = len(audit.entries_for_payment(rail.connected.tenant_a, payment_id))
    [note] = rail.sim_get("/webhooks")["notifications"]
    for _ in range(2):
        replayed = rail.sim.webhooks.redeliver(note["id"])
        assert replayed is not None and replayed.status == 200
    assert rail.deliver() == [200, 200]
    rail.work()
    assert len(rail.xero_payments()) == 1
    assert len(audit.entries_for_payment(rail.connected.tenant_a, payment_id)) == trail


def test_a_webhook_that_points_at_no_payment_of_ours_is_taken_and_ignored(rail):
    body = json.dumps({"booking_type": "SEPA_CREDIT_TRANSFER", "end_to_end_id": "SOMEONE-ELSE",
                       "transaction_id": "x"}).encode()  # fmt: skip
    headers = {"solaris-webhook-signature": sign(body, rail.sim.config.webhook_secret),
               "solaris-webhook-event-type": "BOOKING"}  # fmt: skip
    assert _webhook(headers, body) == 200
    assert rail.work() == {"batches": 1, "failed": []}


def test_when_the_webhook_is_lost_the_reconciler_settles_the_payment(rail, monkeypatch):
    payment_id = rail.submit("match").body["payment_id"]
    rail.confirm(payment_id)
    rail.settle()
    rail.deliver(drop=True)  # Solaris sent it; it never arrived
    assert rail.get(payment_id)["status"] == "executing"
    ran = call_handler("rail_reconciler", {"source": "aws.events"})
    assert rail.get(payment_id)["status"] == "executing"  # not stale yet: left alone
    assert ran == {"solaris_sepa": {"payments": 0, "failed_groups": 0}}
    monkeypatch.setenv("RAIL_RECONCILE_AFTER_SECONDS", "0")
    from xero_bridge.settings import get_settings

    get_settings.cache_clear()
    call_handler("rail_reconciler", {"source": "aws.events"})
    assert rail.get(payment_id)["status"] == "recorded"
    assert len(rail.xero_payments()) == 1
    call_handler("rail_reconciler", {"source": "aws.events"})  # and again: nothing twice
    assert len(rail.xero_payments()) == 1
    [settled] = [e for e in audit.entries_for_payment(rail.connected.tenant_a, payment_id)
                 if e.action == "settled"]  # fmt: skip
    assert settled.actor == "reconciler"


def test_a_confirm_whose_answer_was_lost_is_found_by_the_reconciler(rail, monkeypatch):
    payment_id = rail.submit("match").body["payment_id"]
    change = rail.sim_get("/change_requests")["change_requests"][0]["id"]
    rail.fault(kind="lose", status=0, path_prefix=f"/v1/change_requests/{change}/confirm",
               times=rail_attempts())  # fmt: skip
    assert rail.confirm(payment_id).status == 503
    assert rail.sim_get("/transfers")["count"] == 1  # made at Solaris, not known to us
    monkeypatch.setenv("RAIL_RECONCILE_AFTER_SECONDS", "0")
    from xero_bridge.settings import get_settings

    get_settings.cache_clear()
    call_handler("rail_reconciler", {"source": "aws.events"})
    assert rail.get(payment_id)["status"] == "executing"
    rail.settle()
    rail.deliver()
    rail.work()
    assert rail.get(payment_id)["status"] == "recorded"
