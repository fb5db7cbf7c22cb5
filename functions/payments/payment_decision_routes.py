"""What happens to a submitted payment: approve (the second person), confirm (the TAN of a
SEPA transfer), reject, reverse — POST …/payments/{paymentId}/<action>."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from payment_answers import RECORDED, WRITE_ERRORS, actor_of, answer_payment, required_key

from xero_bridge.http.request import PaymentId, TenantId
from xero_bridge.http.schemas import responses
from xero_bridge.payments.answers import PaymentOut
from xero_bridge.payments.approve import approve_payment
from xero_bridge.payments.confirm import confirm_payment
from xero_bridge.payments.idempotency import Once
from xero_bridge.payments.models import ApproveRequest, ConfirmRequest, RejectRequest
from xero_bridge.payments.reject import reject_payment
from xero_bridge.payments.reverse import reverse_payment

router = Router()


@router.post(
    "/tenants/<tenantId>/payments/<paymentId>/approve",
    summary="Approve a pending payment: a second person (Idempotency-Key required)",
    responses=responses({201: RECORDED}, *WRITE_ERRORS),
)
def approve(
    tenantId: TenantId,
    paymentId: PaymentId,
    approval: Annotated[ApproveRequest | None, Body()] = None,
) -> Response[PaymentOut]:
    actor = actor_of(router, tenantId)
    key = required_key(router)
    accepted = approval.accepted_payee_name if approval else None
    quote_id = approval.quote_id if approval else None
    return answer_payment(approve_payment(tenantId, actor, paymentId, key, accepted, quote_id))


@router.post(
    "/tenants/<tenantId>/payments/<paymentId>/confirm",
    summary="Confirm a payment awaiting its second factor with the TAN (Solaris)",
    responses=responses({200: (PaymentOut, "Confirmed: the transfer is made")}, *WRITE_ERRORS),
)
def confirm(
    tenantId: TenantId, paymentId: PaymentId, confirmation: Annotated[ConfirmRequest, Body()]
) -> Response[PaymentOut]:
    actor = actor_of(router, tenantId)
    return answer_payment(Once(confirm_payment(tenantId, actor, paymentId, confirmation.tan)))


@router.post(
    "/tenants/<tenantId>/payments/<paymentId>/reject",
    summary="Reject a pending payment",
    responses=responses({200: (PaymentOut, "Rejected")}, 400, 403, 404, 409),
)
def reject(
    tenantId: TenantId,
    paymentId: PaymentId,
    rejection: Annotated[RejectRequest | None, Body()] = None,
) -> Response[PaymentOut]:
    actor = actor_of(router, tenantId)
    reason = rejection.reason if rejection else None
    return answer_payment(Once(reject_payment(tenantId, actor, paymentId, reason)))


@router.post(
    "/tenants/<tenantId>/payments/<paymentId>/reverse",
    summary="Reverse a recorded payment in Xero (Idempotency-Key required)",
    responses=responses({200: (PaymentOut, "Reversed")}, *WRITE_ERRORS),
)
def reverse(tenantId: TenantId, paymentId: PaymentId) -> Response[PaymentOut]:
    actor = actor_of(router, tenantId)
    key = required_key(router)
    return answer_payment(reverse_payment(tenantId, actor, paymentId, key))
