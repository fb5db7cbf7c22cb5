"""Submitting payments and reading them: POST …/payments, POST …/payments/batch,
GET …/payments, GET …/payments/{paymentId}."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from payment_answers import (
    READ_ERRORS,
    RECORDED,
    WRITE_ERRORS,
    actor_of,
    answer_once,
    answer_payment,
    required_key,
)

from xero_bridge.http import request
from xero_bridge.http.request import PaymentId, TenantId
from xero_bridge.http.schemas import responses
from xero_bridge.payments.answers import BatchOut, PaymentDetailOut, PaymentListOut, PaymentOut
from xero_bridge.payments.batch import submit_payments
from xero_bridge.payments.history import payment_detail, payment_history
from xero_bridge.payments.models import BatchRequest, PaymentRequest
from xero_bridge.payments.submit import submit_payment

router = Router()


@router.post(
    "/tenants/<tenantId>/payments",
    summary="Submit a payment against an invoice (Idempotency-Key required)",
    responses=responses(
        {201: RECORDED, 202: (PaymentOut, "Waiting for a second person")}, *WRITE_ERRORS
    ),
)
def submit(tenantId: TenantId, payment: Annotated[PaymentRequest, Body()]) -> Response[PaymentOut]:
    actor = actor_of(router, tenantId)
    key = required_key(router)
    return answer_payment(submit_payment(tenantId, actor, key, payment))


@router.post(
    "/tenants/<tenantId>/payments/batch",
    summary="Submit many payments, one result per item (Idempotency-Key required)",
    responses=responses({200: (BatchOut, "A result per item")}, *WRITE_ERRORS),
)
def submit_batch(tenantId: TenantId, batch: Annotated[BatchRequest, Body()]) -> Response[BatchOut]:
    actor = actor_of(router, tenantId)
    key = required_key(router)
    return answer_once(200, submit_payments(tenantId, actor, key, batch))


@router.get(
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
    request.caller(router, tenantId)
    return payment_history(
        tenantId,
        status=status,
        date_from=date_from,
        date_to=date_to,
        page=page,
        page_size=page_size,
    )


@router.get(
    "/tenants/<tenantId>/payments/<paymentId>",
    summary="One payment with its audit trail",
    responses=responses({200: (PaymentDetailOut, "The payment")}, *READ_ERRORS),
)
def get_payment(tenantId: TenantId, paymentId: PaymentId) -> PaymentDetailOut:
    request.caller(router, tenantId)
    return payment_detail(tenantId, paymentId)
