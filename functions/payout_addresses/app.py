"""The crypto payout address book: /tenants/{tenantId}/payout_addresses — list, add, approve,
delete (`xero_bridge.payout_addresses.book`).

A function of its own, not routes of the payments function: the address book is what the
okx rail trusts, so the function that moves money may only read it (its IAM role has
GetItem on the table, nothing more), and only this one may write it. Thin: the authorizer's
route policy enforces the scopes (``admin`` adds and deletes, ``payments:approve`` approves,
both list); the handler checks the caller's grant to the tenant, then calls one action.
"""

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.http import request
from xero_bridge.http.answers import created
from xero_bridge.http.request import TenantId
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import responses
from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.payout_addresses import book
from xero_bridge.payout_addresses.models import (
    PayoutAddressIn,
    PayoutAddressListOut,
    PayoutAddressOut,
)

app = HttpApi()

AddressId = Annotated[
    str, Path(pattern=r"^pa_[0-9a-f]{32}$", description="The address book entry's id")
]
STATUSES = r"^(pending_approval|approved|superseded|deleted)$"


def _actor(tenant_id: str) -> str:
    return request.caller(app, tenant_id).sub


@app.get(
    "/tenants/<tenantId>/payout_addresses",
    summary="The crypto payout address book: every entry, with who added and approved it",
    responses=responses({200: (PayoutAddressListOut, "The book")}, 400, 403),
)
def list_addresses(
    tenantId: TenantId,
    status: Annotated[str | None, Query(pattern=STATUSES)] = None,
    contact_id: Annotated[str | None, Query(max_length=36)] = None,
) -> PayoutAddressListOut:
    _actor(tenantId)
    return book.listing(tenantId, status=status, contact_id=contact_id)


@app.post(
    "/tenants/<tenantId>/payout_addresses",
    summary="Add a supplier's payout address (admin); a second person must approve it",
    responses=responses(
        {201: (PayoutAddressOut, "Added, waiting for approval")}, 400, 403, 409, 422, 429, 503
    ),
)
def add_address(
    tenantId: TenantId, entry: Annotated[PayoutAddressIn, Body()]
) -> Response[PayoutAddressOut]:
    actor = _actor(tenantId)
    return created(book.add(tenantId, actor, entry))


@app.post(
    "/tenants/<tenantId>/payout_addresses/<payoutAddressId>/approve",
    summary="Approve a payout address: someone other than who added it (payments:approve)",
    responses=responses({200: (PayoutAddressOut, "Approved: it can be paid")}, 403, 404, 409),
)
def approve_address(tenantId: TenantId, payoutAddressId: AddressId) -> PayoutAddressOut:
    actor = _actor(tenantId)
    return book.approve(tenantId, actor, payoutAddressId)


@app.delete(
    "/tenants/<tenantId>/payout_addresses/<payoutAddressId>",
    summary="Delete a payout address (admin): it is no longer paid; its record stays",
    responses=responses({200: (PayoutAddressOut, "Deleted")}, 403, 404, 409),
)
def delete_address(tenantId: TenantId, payoutAddressId: AddressId) -> PayoutAddressOut:
    actor = _actor(tenantId)
    return book.delete(tenantId, actor, payoutAddressId)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
