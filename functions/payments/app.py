"""Payments: /tenants/{tenantId}/payments… — submit, batch, approve, reject, reverse, confirm,
history.

Thin: each route takes its input as Powertools validates it (path, query, the body as a
pydantic model parsed with exact decimals), checks the caller's grant to the tenant (403
before anything touches Xero), reads the Idempotency-Key where money moves, calls one action
of `xero_bridge.payments` and answers its model: 201 when the payment is recorded, 202 while
it waits for approval, 200 otherwise. Scopes are enforced by the authorizer's route policy
(payments:write, payments:approve). Metrics (payments by outcome) are flushed per invocation.
"""

from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.http import request
from xero_bridge.http.request import PaymentId, TenantId
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import responses
from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.payments import events
from xero_bridge.payments.answers import (
    BatchOut,
    PaymentDetailOut,
    PaymentListOut,
    PaymentOut,
    PaymentResult,
)
from xero_bridge.payments.approve import approve_payment
from xero_bridge.payments.batch import submit_payments
from xero_bridge.payments.confirm import confirm_payment
from xero_bridge.payments.history import payment_detail, payment_history
from xero_bridge.payments.idempotency import Once, register_lambda_context
from xero_bridge.payments.models import (
    ApproveRequest,
    BatchRequest,
    ConfirmRequest,
    PaymentRequest,
    RejectRequest,
)
from xero_bridge.payments.reject import reject_payment
from xero_bridge.payments.reverse import reverse_payment
from xero_bridge.payments.submit import submit_payment

app = HttpApi()

READ_ERRORS = (400, 403, 404, 429, 503)
WRITE_ERRORS = (400, 403, 404, 409, 422, 429, 503)
RECORDED = (PaymentOut, "Recorded in Xero")
STATUS_OF_OUTCOME = {"recorded": 201, "pending_approval": 202}  # anything else: 200


def _actor(tenant_id: str) -> str:
    """The caller's Okta sub, once they are known to reach the tenant (403 otherwise)."""
    return request.caller(app, tenant_id).sub


def _key() -> str:
    return str(request.idempotency_key(app, required=True))


def _replayed(once: Once[Any]) -> dict[str, str] | None:
    return {"Idempotent-Replayed": "true"} if once.replayed else None


def _answer(once: Once[PaymentResult]) -> Response[PaymentOut]:
    """201 recorded, 202 waiting for approval, 200 otherwise; the payment as the body."""
    status = STATUS_OF_OUTCOME.get(once.result.outcome, 200)
    return Response(status, "application/json", body=once.result.payment, headers=_replayed(once))


@app.post(
    "/tenants/<tenantId>/payments",
    summary="Submit a payment against an invoice (Idempotency-Key required)",
    responses=responses(
        {201: RECORDED, 202: (PaymentOut, "Waiting for a second person")}, *WRITE_ERRORS
    ),
)
def submit(tenantId: TenantId, payment: Annotated[PaymentRequest, Body()]) -> Response[PaymentOut]:
    actor = _actor(tenantId)
    return _answer(submit_payment(tenantId, actor, _key(), payment))


@app.post(
    "/tenants/<tenantId>/payments/batch",
    summary="Submit many payments, one result per item (Idempotency-Key required)",
    responses=responses({200: (BatchOut, "A result per item")}, *WRITE_ERRORS),
)
def submit_batch(tenantId: TenantId, batch: Annotated[BatchRequest, Body()]) -> Response[BatchOut]:
    actor = _actor(tenantId)
    once = submit_payments(tenantId, actor, _key(), batch)
    return Response(200, "application/json", body=once.result, headers=_replayed(once))


@app.get(
    "/tenants/<tenantId>/payments",
    summary="A tenant's payments, newest first, with Xero's current status",
    responses=responses({200: (PaymentListOut, "One page")}, *READ_ERRORS),
)
def list_payments(
    tenantId: TenantId,
    status: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
    page: Annotated[str | None, Query(max_length=2000)] = None,
    page_size: Annotated[int, Query(ge=1, le=100)] = 50,
) -> PaymentListOut:
    _actor(tenantId)
    return payment_history(
        tenantId,
        status=status,
        date_from=date_from,
        date_to=date_to,
        page=page,
        page_size=page_size,
    )


@app.get(
    "/tenants/<tenantId>/payments/<paymentId>",
    summary="One payment with its audit trail",
    responses=responses({200: (PaymentDetailOut, "The payment")}, *READ_ERRORS),
)
def get_payment(tenantId: TenantId, paymentId: PaymentId) -> PaymentDetailOut:
    _actor(tenantId)
    return payment_detail(tenantId, paymentId)


@app.post(
    "/tenants/<tenantId>/payments/<paymentId>/approve",
    summary="Approve a pending payment: a second person (Idempotency-Key required)",
    responses=responses({201: RECORDED}, *WRITE_ERRORS),
)
def approve(
    tenantId: TenantId,
    paymentId: PaymentId,
    approval: Annotated[ApproveRequest | None, Body()] = None,
) -> Response[PaymentOut]:
    actor = _actor(tenantId)
    accepted = approval.accepted_payee_name if approval else None
    return _answer(approve_payment(tenantId, actor, paymentId, _key(), accepted))


@app.post(
    "/tenants/<tenantId>/payments/<paymentId>/confirm",
    summary="Confirm a payment awaiting its second factor with the TAN (Solaris)",
    responses=responses({200: (PaymentOut, "Confirmed: the transfer is made")}, *WRITE_ERRORS),
)
def confirm(
    tenantId: TenantId, paymentId: PaymentId, confirmation: Annotated[ConfirmRequest, Body()]
) -> Response[PaymentOut]:
    actor = _actor(tenantId)
    return _answer(Once(confirm_payment(tenantId, actor, paymentId, confirmation.tan)))


@app.post(
    "/tenants/<tenantId>/payments/<paymentId>/reject",
    summary="Reject a pending payment",
    responses=responses({200: (PaymentOut, "Rejected")}, 400, 403, 404, 409),
)
def reject(
    tenantId: TenantId,
    paymentId: PaymentId,
    rejection: Annotated[RejectRequest | None, Body()] = None,
) -> Response[PaymentOut]:
    actor = _actor(tenantId)
    reason = rejection.reason if rejection else None
    return _answer(Once(reject_payment(tenantId, actor, paymentId, reason)))


@app.post(
    "/tenants/<tenantId>/payments/<paymentId>/reverse",
    summary="Reverse a recorded payment in Xero (Idempotency-Key required)",
    responses=responses({200: (PaymentOut, "Reversed")}, *WRITE_ERRORS),
)
def reverse(tenantId: TenantId, paymentId: PaymentId) -> Response[PaymentOut]:
    actor = _actor(tenantId)
    return _answer(reverse_payment(tenantId, actor, paymentId, _key()))


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
@events.batched
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    register_lambda_context(context)
    return app.resolve(event, context)
