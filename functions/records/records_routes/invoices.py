"""/tenants/{tenantId}/invoices…: sales invoices (ACCREC) and bills (ACCPAY)."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from records_routes.common import (
    SOURCED,
    CacheControl,
    ModifiedSince,
    Page,
    PageSize,
    Search,
    Where,
    created_answer,
    list_query,
    sourced,
    tenant,
    tenant_and_key,
)
from xero_bridge.http.answers import created, no_content
from xero_bridge.http.request import RecordId, TenantId
from xero_bridge.http.schemas import NO_CONTENT
from xero_bridge.records import invoices
from xero_bridge.records import models as m
from xero_bridge.records import query as q

router = Router()
DateParam = Annotated[str | None, Query()]


@router.get("/tenants/<tenantId>/invoices")
def list_invoices(
    tenantId: TenantId,
    type: Annotated[str | None, Query()] = None,
    status: Annotated[str | None, Query(description="comma-separated statuses")] = None,
    contact_id: Annotated[str | None, Query()] = None,
    search: Search = None,
    date_from: DateParam = None,
    date_to: DateParam = None,
    due_date_from: DateParam = None,
    due_date_to: DateParam = None,
    overdue: Annotated[bool | None, Query()] = None,
    modified_since: ModifiedSince = None,
    where: Where = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.InvoiceList:
    query = list_query(
        q.InvoiceQuery,
        type=type,
        status=[s.strip() for s in status.split(",") if s.strip()] if status else None,
        contact_id=contact_id,
        search=search,
        date_from=date_from,
        date_to=date_to,
        due_date_from=due_date_from,
        due_date_to=due_date_to,
        overdue=overdue,
        modified_since=modified_since,
        where=where,
        page=page,
        page_size=page_size,
    )
    return invoices.list_invoices(tenant(router, tenantId), query)


@router.post("/tenants/<tenantId>/invoices", responses=created_answer(m.Invoice))
def create_invoice(
    tenantId: TenantId, body: Annotated[m.InvoiceCreate, Body()]
) -> Response[m.Invoice]:
    tenant_id, key = tenant_and_key(router, tenantId)
    return created(invoices.create_invoice(tenant_id, body, key))


@router.get("/tenants/<tenantId>/invoices/<id>", responses=SOURCED)
def get_invoice(
    tenantId: TenantId, id: RecordId, cache_control: CacheControl = None
) -> Response[m.Invoice]:
    return sourced(router, partial(invoices.read_invoice, tenant(router, tenantId), id))


@router.put("/tenants/<tenantId>/invoices/<id>")
def update_invoice(
    tenantId: TenantId, id: RecordId, body: Annotated[m.InvoiceUpdate, Body()]
) -> m.Invoice:
    return invoices.update_invoice(tenant(router, tenantId), id, body)


# Xero deletes an invoice by status (drafts only), and this answers the invoice.
@router.delete("/tenants/<tenantId>/invoices/<id>")
def delete_invoice(tenantId: TenantId, id: RecordId) -> m.Invoice:
    return invoices.delete_invoice(tenant(router, tenantId), id)


@router.post("/tenants/<tenantId>/invoices/<id>/void")
def void_invoice(tenantId: TenantId, id: RecordId) -> m.Invoice:
    return invoices.void_invoice(tenant(router, tenantId), id)


@router.post("/tenants/<tenantId>/invoices/<id>/email", responses=NO_CONTENT)
def email_invoice(tenantId: TenantId, id: RecordId) -> Response[None]:
    invoices.email_invoice(tenant(router, tenantId), id)
    return no_content()
