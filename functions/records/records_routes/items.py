"""/tenants/{tenantId}/items…: the products and services invoices are made of."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from records_routes.common import (
    ModifiedSince,
    Page,
    PageSize,
    Search,
    Where,
    created_answer,
    list_query,
    tenant,
    tenant_and_key,
)
from xero_bridge.http.answers import created, no_content
from xero_bridge.http.request import RecordId, TenantId
from xero_bridge.http.schemas import NO_CONTENT
from xero_bridge.records import items
from xero_bridge.records import models as m
from xero_bridge.records import query as q

router = Router()


@router.get("/tenants/<tenantId>/items")
def list_items(
    tenantId: TenantId,
    search: Search = None,
    modified_since: ModifiedSince = None,
    where: Where = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.ItemList:
    query = list_query(
        q.ItemQuery,
        search=search,
        modified_since=modified_since,
        where=where,
        page=page,
        page_size=page_size,
    )
    return items.list_items(tenant(router, tenantId), query)


@router.post("/tenants/<tenantId>/items", responses=created_answer(m.Item))
def create_item(tenantId: TenantId, body: Annotated[m.ItemCreate, Body()]) -> Response[m.Item]:
    tenant_id, key = tenant_and_key(router, tenantId)
    return created(items.create_item(tenant_id, body, key))


@router.get("/tenants/<tenantId>/items/<id>")
def get_item(tenantId: TenantId, id: RecordId) -> m.Item:
    return items.get_item(tenant(router, tenantId), id)


@router.put("/tenants/<tenantId>/items/<id>")
def update_item(tenantId: TenantId, id: RecordId, body: Annotated[m.ItemUpdate, Body()]) -> m.Item:
    return items.update_item(tenant(router, tenantId), id, body)


@router.delete("/tenants/<tenantId>/items/<id>", responses=NO_CONTENT)
def delete_item(tenantId: TenantId, id: RecordId) -> Response[None]:
    items.delete_item(tenant(router, tenantId), id)
    return no_content()
