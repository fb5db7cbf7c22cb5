"""What every payments route shares: who asks, the Idempotency-Key where money moves, the
statuses it may answer, and how a result is answered.

A money-moving action returns `Once(result)`; `replayed` tells whether this request repeated
an earlier one with the same Idempotency-Key, which the answer says in `Idempotent-Replayed`.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response

from xero_bridge.http import request
from xero_bridge.http.answers import json_answer
from xero_bridge.payments.answers import PaymentOut, PaymentResult
from xero_bridge.payments.idempotency import Once

READ_ERRORS = (400, 403, 404, 429, 503)
WRITE_ERRORS = (400, 403, 404, 409, 422, 429, 503)
RECORDED = (PaymentOut, "Recorded in Xero")
STATUS_OF_OUTCOME = {"recorded": 201, "pending_approval": 202}  # anything else: 200


def actor_of(router: Any, tenant_id: str) -> str:
    """Who asks (their `sub`), once they may reach the tenant (403 otherwise)."""
    return request.caller(router, tenant_id).sub


def required_key(router: Any) -> str:
    """The request's Idempotency-Key, which every route that moves money requires (400 without)."""
    return str(request.idempotency_key(router, required=True))


def replayed_header(once: Once[Any]) -> dict[str, str] | None:
    return {"Idempotent-Replayed": "true"} if once.replayed else None


def answer_once(status: int, once: Once[Any]) -> Response[Any]:
    """The action's result with `status`, saying in `Idempotent-Replayed` when it was replayed."""
    return json_answer(status, once.result, replayed_header(once))


def answer_payment(once: Once[PaymentResult]) -> Response[PaymentOut]:
    """201 recorded, 202 waiting for approval, 200 otherwise; the payment as the body."""
    status = STATUS_OF_OUTCOME.get(once.result.outcome, 200)
    return json_answer(status, once.result.payment, replayed_header(once))
