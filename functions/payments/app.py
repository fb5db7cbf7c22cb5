"""Payments: /tenants/{tenantId}/payments… — submit, batch, approve, reject, reverse, history.

Thin: the caller (from the authorizer context), the tenant check, the body parsed with exact
decimals, one call into xero_bridge.payments.service, the answer. Scopes are enforced by the
authorizer's route policy (payments:write, payments:approve).
"""

from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.http import request
from xero_bridge.observability import logger
from xero_bridge.payments import service
from xero_bridge.payments.idempotency import Outcome, register_lambda_context
from xero_bridge.payments.money import parse_json_body
from xero_bridge.responses import install_error_handlers

app = APIGatewayHttpResolver(enable_validation=True)
install_error_handlers(app)

TenantId = Annotated[str, Path(min_length=1, max_length=64)]
PaymentId = Annotated[str, Path(min_length=1, max_length=64)]


def _caller(tenant_id: str) -> str:
    """The signed-in caller's sub, after the tenant check and the route's Xero scopes (before
    anything touches Xero)."""
    return request.caller(app, tenant_id).sub


def _key() -> str | None:
    return app.current_event.headers.get("idempotency-key")


def _body(optional: bool = False) -> Any:
    raw = app.current_event.decoded_body if app.current_event.body else None
    if optional and not (raw or "").strip():
        return None
    return parse_json_body(raw)


def _respond(outcome: Outcome) -> Response[dict]:
    return Response(
        status_code=outcome.status_code,
        content_type="application/json",
        body=outcome.body,
        headers=outcome.headers,
    )


@app.post("/tenants/<tenantId>/payments")
def submit(tenantId: TenantId) -> Response[dict]:
    actor = _caller(tenantId)
    return _respond(service.submit(tenantId, actor, _key(), _body()))


@app.post("/tenants/<tenantId>/payments/batch")
def submit_batch(tenantId: TenantId) -> Response[dict]:
    actor = _caller(tenantId)
    return _respond(service.submit_batch(tenantId, actor, _key(), _body()))


@app.get("/tenants/<tenantId>/payments")
def list_payments(
    tenantId: TenantId,
    status: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
    page: Annotated[str | None, Query(max_length=2000)] = None,
    page_size: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict:
    _caller(tenantId)
    return service.list_payments(
        tenantId,
        status=status,
        date_from=date_from,
        date_to=date_to,
        page=page,
        page_size=page_size,
    )


@app.get("/tenants/<tenantId>/payments/<paymentId>")
def get_payment(tenantId: TenantId, paymentId: PaymentId) -> dict:
    _caller(tenantId)
    return service.get_payment(tenantId, paymentId)


@app.post("/tenants/<tenantId>/payments/<paymentId>/approve")
def approve(tenantId: TenantId, paymentId: PaymentId) -> Response[dict]:
    actor = _caller(tenantId)
    return _respond(service.approve(tenantId, actor, paymentId, _key()))


@app.post("/tenants/<tenantId>/payments/<paymentId>/reject")
def reject(tenantId: TenantId, paymentId: PaymentId) -> Response[dict]:
    actor = _caller(tenantId)
    return _respond(service.reject(tenantId, actor, paymentId, _body(optional=True)))


@app.post("/tenants/<tenantId>/payments/<paymentId>/reverse")
def reverse(tenantId: TenantId, paymentId: PaymentId) -> Response[dict]:
    actor = _caller(tenantId)
    return _respond(service.reverse(tenantId, actor, paymentId, _key()))


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    register_lambda_context(context)
    return app.resolve(event, context)
