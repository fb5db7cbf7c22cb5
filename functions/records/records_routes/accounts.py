"""/tenants/{tenantId}/accounts…: the chart of accounts."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

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
from xero_bridge.records import accounts
from xero_bridge.records import models as m
from xero_bridge.records import query as q

router = Router()


@router.get("/tenants/<tenantId>/accounts")
def list_accounts(
    tenantId: TenantId,
    type: Annotated[str | None, Query()] = None,
    status: Annotated[str | None, Query()] = None,
    search: Search = None,
    modified_since: ModifiedSince = None,
    where: Where = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.AccountList:
    query = list_query(
        q.AccountQuery,
        type=type,
        status=status,
        search=search,
        modified_since=modified_since,
        where=where,
        page=page,
        page_size=page_size,
    )
    return accounts.list_accounts(tenant(router, tenantId), query)


@router.post("/tenants/<tenantId>/accounts", responses=created_answer(m.Account))
def create_account(
    tenantId: TenantId, body: Annotated[m.AccountCreate, Body()]
) -> Response[m.Account]:
    tenant_id, key = tenant_and_key(router, tenantId)
    return created(accounts.create_account(tenant_id, body, key))


@router.get("/tenants/<tenantId>/accounts/<id>")
def get_account(tenantId: TenantId, id: RecordId) -> m.Account:
    return accounts.get_account(tenant(router, tenantId), id)


@router.put("/tenants/<tenantId>/accounts/<id>")
def update_account(
    tenantId: TenantId, id: RecordId, body: Annotated[m.AccountUpdate, Body()]
) -> m.Account:
    return accounts.update_account(tenant(router, tenantId), id, body)


@router.delete("/tenants/<tenantId>/accounts/<id>", responses=NO_CONTENT)
def delete_account(tenantId: TenantId, id: RecordId) -> Response[None]:
    accounts.delete_account(tenant(router, tenantId), id)
    return no_content()


@router.post("/tenants/<tenantId>/accounts/<id>/archive")
def archive_account(tenantId: TenantId, id: RecordId) -> m.Account:
    return accounts.archive_account(tenant(router, tenantId), id)
