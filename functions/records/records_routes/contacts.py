"""/tenants/{tenantId}/contacts…: customers and suppliers, and the upsert that keeps
another system's contacts in step."""

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
from xero_bridge.http.answers import created
from xero_bridge.http.request import RecordId, TenantId
from xero_bridge.records import contacts
from xero_bridge.records import models as m
from xero_bridge.records import query as q

router = Router()


@router.get("/tenants/<tenantId>/contacts")
def list_contacts(
    tenantId: TenantId,
    search: Search = None,
    status: Annotated[str | None, Query()] = None,
    is_customer: Annotated[bool | None, Query()] = None,
    is_supplier: Annotated[bool | None, Query()] = None,
    modified_since: ModifiedSince = None,
    where: Where = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.ContactList:
    query = list_query(
        q.ContactQuery,
        search=search,
        status=status,
        is_customer=is_customer,
        is_supplier=is_supplier,
        modified_since=modified_since,
        where=where,
        page=page,
        page_size=page_size,
    )
    return contacts.list_contacts(tenant(router, tenantId), query)


@router.post("/tenants/<tenantId>/contacts", responses=created_answer(m.Contact))
def create_contact(
    tenantId: TenantId, body: Annotated[m.ContactCreate, Body()]
) -> Response[m.Contact]:
    tenant_id, key = tenant_and_key(router, tenantId)
    return created(contacts.create_contact(tenant_id, body, key))


@router.post("/tenants/<tenantId>/contacts/upsert")
def upsert_contacts(
    tenantId: TenantId, body: Annotated[m.ContactUpsert, Body()]
) -> m.ContactUpsertResult:
    tenant_id, key = tenant_and_key(router, tenantId)
    return contacts.upsert_contacts(tenant_id, body, key)


@router.get("/tenants/<tenantId>/contacts/<id>", responses=SOURCED)
def get_contact(
    tenantId: TenantId, id: RecordId, cache_control: CacheControl = None
) -> Response[m.Contact]:
    return sourced(router, partial(contacts.read_contact, tenant(router, tenantId), id))


@router.put("/tenants/<tenantId>/contacts/<id>")
def update_contact(
    tenantId: TenantId, id: RecordId, body: Annotated[m.ContactUpdate, Body()]
) -> m.Contact:
    return contacts.update_contact(tenant(router, tenantId), id, body)


@router.post("/tenants/<tenantId>/contacts/<id>/archive")
def archive_contact(tenantId: TenantId, id: RecordId) -> m.Contact:
    return contacts.archive_contact(tenant(router, tenantId), id)
