"""The records API: /tenants/{tenantId}/{accounts,contacts,invoices,items}…, xero/raw.

Thin: each route validates its input (Powertools + pydantic), checks the caller's access to
the tenant, calls one function of `xero_bridge.records` and returns its model. One Router
per resource. Request bodies are parsed with numbers as Decimal, so money is exact from the
first byte. The API description is served at /records/swagger outside prod only (the route
sits behind the Okta authorizer like every other).
"""

import json
from decimal import Decimal
from functools import partial
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ValidationError

from xero_bridge.auth.principal import Principal
from xero_bridge.auth.tenant_access import require_tenant_access
from xero_bridge.errors import BadRequestError, ForbiddenError
from xero_bridge.observability import logger
from xero_bridge.records import accounts, attachments, contacts, history, invoices, items, raw
from xero_bridge.records import models as m
from xero_bridge.records import query as q
from xero_bridge.responses import install_error_handlers
from xero_bridge.settings import get_settings

GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
TenantId = Annotated[str, Path(min_length=1, max_length=64)]
RecordId = Annotated[str, Path(pattern=GUID)]
Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=q.MAX_PAGE_SIZE)]
ModifiedSince = Annotated[str | None, Query(max_length=40)]
Search = Annotated[str | None, Query(min_length=1, max_length=100)]

app = APIGatewayHttpResolver(
    enable_validation=True,
    json_body_deserializer=partial(json.loads, parse_float=Decimal),
)
install_error_handlers(app)


# ---------------------------------------------------------------------------- helpers
def _tenant(router: Router | APIGatewayHttpResolver, tenant_id: str, admin: bool = False) -> str:
    """The tenant id once the caller is known to reach it (403 otherwise)."""
    principal = Principal.from_event(router.current_event.raw_event)
    if admin and not principal.is_admin:
        raise ForbiddenError("this route is for administrators")
    require_tenant_access(principal, tenant_id)
    return tenant_id


def _idempotency_key(router: Router) -> str | None:
    key = (router.current_event.headers or {}).get("idempotency-key")
    if key is None:
        return None
    if not 1 <= len(key) <= 128 or not key.isprintable():
        raise BadRequestError("Idempotency-Key must be 1 to 128 printable characters")
    return key


def _query[Q: BaseModel](model: type[Q], **values: Any) -> Q:
    """A list query model from the query parameters; 400 with the problems when invalid."""
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]) or None, "problem": e["msg"]}
            for e in exc.errors()
        ]
        raise BadRequestError("the query is not valid", details) from None


def _json(status: int, model: BaseModel) -> Response[Any]:
    # The model itself: Powertools checks it against the route's Response[...] annotation
    # and serialises it in JSON mode (money as decimal strings).
    return Response(status_code=status, content_type="application/json", body=model)


def _no_content() -> Response[Any]:
    return Response(status_code=204, body="")


# ---------------------------------------------------------------------------- accounts
accounts_router = Router()


@accounts_router.get("/tenants/<tenantId>/accounts")
def list_accounts(
    tenantId: TenantId,
    type: Annotated[str | None, Query()] = None,
    status: Annotated[str | None, Query()] = None,
    search: Search = None,
    modified_since: ModifiedSince = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.AccountList:
    query = _query(
        q.AccountQuery,
        type=type,
        status=status,
        search=search,
        modified_since=modified_since,
        page=page,
        page_size=page_size,
    )
    return accounts.list_accounts(_tenant(accounts_router, tenantId), query)


@accounts_router.post("/tenants/<tenantId>/accounts")
def create_account(
    tenantId: TenantId, body: Annotated[m.AccountCreate, Body()]
) -> Response[m.Account]:
    tenant = _tenant(accounts_router, tenantId)
    key = _idempotency_key(accounts_router)
    return _json(201, accounts.create_account(tenant, body, key))


@accounts_router.get("/tenants/<tenantId>/accounts/<id>")
def get_account(tenantId: TenantId, id: RecordId) -> m.Account:
    return accounts.get_account(_tenant(accounts_router, tenantId), id)


@accounts_router.put("/tenants/<tenantId>/accounts/<id>")
def update_account(
    tenantId: TenantId, id: RecordId, body: Annotated[m.AccountUpdate, Body()]
) -> m.Account:
    return accounts.update_account(_tenant(accounts_router, tenantId), id, body)


@accounts_router.delete("/tenants/<tenantId>/accounts/<id>")
def delete_account(tenantId: TenantId, id: RecordId) -> Response[None]:
    accounts.delete_account(_tenant(accounts_router, tenantId), id)
    return _no_content()


@accounts_router.post("/tenants/<tenantId>/accounts/<id>/archive")
def archive_account(tenantId: TenantId, id: RecordId) -> m.Account:
    return accounts.archive_account(_tenant(accounts_router, tenantId), id)


# ---------------------------------------------------------------------------- contacts
contacts_router = Router()


@contacts_router.get("/tenants/<tenantId>/contacts")
def list_contacts(
    tenantId: TenantId,
    search: Search = None,
    status: Annotated[str | None, Query()] = None,
    is_customer: Annotated[bool | None, Query()] = None,
    is_supplier: Annotated[bool | None, Query()] = None,
    modified_since: ModifiedSince = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.ContactList:
    query = _query(
        q.ContactQuery,
        search=search,
        status=status,
        is_customer=is_customer,
        is_supplier=is_supplier,
        modified_since=modified_since,
        page=page,
        page_size=page_size,
    )
    return contacts.list_contacts(_tenant(contacts_router, tenantId), query)


@contacts_router.post("/tenants/<tenantId>/contacts")
def create_contact(
    tenantId: TenantId, body: Annotated[m.ContactCreate, Body()]
) -> Response[m.Contact]:
    tenant = _tenant(contacts_router, tenantId)
    key = _idempotency_key(contacts_router)
    return _json(201, contacts.create_contact(tenant, body, key))


@contacts_router.post("/tenants/<tenantId>/contacts/upsert")
def upsert_contacts(
    tenantId: TenantId, body: Annotated[m.ContactUpsert, Body()]
) -> m.ContactUpsertResult:
    tenant = _tenant(contacts_router, tenantId)
    return contacts.upsert_contacts(tenant, body, _idempotency_key(contacts_router))


@contacts_router.get("/tenants/<tenantId>/contacts/<id>")
def get_contact(tenantId: TenantId, id: RecordId) -> m.Contact:
    return contacts.get_contact(_tenant(contacts_router, tenantId), id)


@contacts_router.put("/tenants/<tenantId>/contacts/<id>")
def update_contact(
    tenantId: TenantId, id: RecordId, body: Annotated[m.ContactUpdate, Body()]
) -> m.Contact:
    return contacts.update_contact(_tenant(contacts_router, tenantId), id, body)


@contacts_router.post("/tenants/<tenantId>/contacts/<id>/archive")
def archive_contact(tenantId: TenantId, id: RecordId) -> m.Contact:
    return contacts.archive_contact(_tenant(contacts_router, tenantId), id)


# ---------------------------------------------------------------------------- invoices
invoices_router = Router()


@invoices_router.get("/tenants/<tenantId>/invoices")
def list_invoices(
    tenantId: TenantId,
    type: Annotated[str | None, Query()] = None,
    status: Annotated[str | None, Query(description="comma-separated statuses")] = None,
    contact_id: Annotated[str | None, Query()] = None,
    search: Search = None,
    date_from: Annotated[str | None, Query()] = None,
    date_to: Annotated[str | None, Query()] = None,
    due_date_from: Annotated[str | None, Query()] = None,
    due_date_to: Annotated[str | None, Query()] = None,
    overdue: Annotated[bool | None, Query()] = None,
    modified_since: ModifiedSince = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.InvoiceList:
    query = _query(
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
        page=page,
        page_size=page_size,
    )
    return invoices.list_invoices(_tenant(invoices_router, tenantId), query)


@invoices_router.post("/tenants/<tenantId>/invoices")
def create_invoice(
    tenantId: TenantId, body: Annotated[m.InvoiceCreate, Body()]
) -> Response[m.Invoice]:
    tenant = _tenant(invoices_router, tenantId)
    key = _idempotency_key(invoices_router)
    return _json(201, invoices.create_invoice(tenant, body, key))


@invoices_router.get("/tenants/<tenantId>/invoices/<id>")
def get_invoice(tenantId: TenantId, id: RecordId) -> m.Invoice:
    return invoices.get_invoice(_tenant(invoices_router, tenantId), id)


@invoices_router.put("/tenants/<tenantId>/invoices/<id>")
def update_invoice(
    tenantId: TenantId, id: RecordId, body: Annotated[m.InvoiceUpdate, Body()]
) -> m.Invoice:
    return invoices.update_invoice(_tenant(invoices_router, tenantId), id, body)


@invoices_router.delete("/tenants/<tenantId>/invoices/<id>")
def delete_invoice(tenantId: TenantId, id: RecordId) -> m.Invoice:
    return invoices.delete_invoice(_tenant(invoices_router, tenantId), id)


@invoices_router.post("/tenants/<tenantId>/invoices/<id>/void")
def void_invoice(tenantId: TenantId, id: RecordId) -> m.Invoice:
    return invoices.void_invoice(_tenant(invoices_router, tenantId), id)


@invoices_router.post("/tenants/<tenantId>/invoices/<id>/email")
def email_invoice(tenantId: TenantId, id: RecordId) -> Response[None]:
    invoices.email_invoice(_tenant(invoices_router, tenantId), id)
    return _no_content()


# ---------------------------------------------------------------------------- items
items_router = Router()


@items_router.get("/tenants/<tenantId>/items")
def list_items(
    tenantId: TenantId,
    search: Search = None,
    modified_since: ModifiedSince = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.ItemList:
    query = _query(
        q.ItemQuery, search=search, modified_since=modified_since, page=page, page_size=page_size
    )
    return items.list_items(_tenant(items_router, tenantId), query)


@items_router.post("/tenants/<tenantId>/items")
def create_item(tenantId: TenantId, body: Annotated[m.ItemCreate, Body()]) -> Response[m.Item]:
    tenant = _tenant(items_router, tenantId)
    return _json(201, items.create_item(tenant, body, _idempotency_key(items_router)))


@items_router.get("/tenants/<tenantId>/items/<id>")
def get_item(tenantId: TenantId, id: RecordId) -> m.Item:
    return items.get_item(_tenant(items_router, tenantId), id)


@items_router.put("/tenants/<tenantId>/items/<id>")
def update_item(tenantId: TenantId, id: RecordId, body: Annotated[m.ItemUpdate, Body()]) -> m.Item:
    return items.update_item(_tenant(items_router, tenantId), id, body)


@items_router.delete("/tenants/<tenantId>/items/<id>")
def delete_item(tenantId: TenantId, id: RecordId) -> Response[None]:
    items.delete_item(_tenant(items_router, tenantId), id)
    return _no_content()


# ---------------------------------------------------------------------------- history, notes
history_router = Router()
HISTORY_KINDS: tuple[history.HistoryKind, ...] = ("contacts", "invoices", "items")


def _history_routes(kind: history.HistoryKind) -> None:
    @history_router.get(f"/tenants/<tenantId>/{kind}/<id>/history")
    def get_history(tenantId: TenantId, id: RecordId) -> m.HistoryList:
        return history.get_history(_tenant(history_router, tenantId), kind, id)

    @history_router.post(f"/tenants/<tenantId>/{kind}/<id>/history")
    def add_note(
        tenantId: TenantId, id: RecordId, body: Annotated[m.NoteCreate, Body()]
    ) -> Response[m.HistoryList]:
        return _json(201, history.add_note(_tenant(history_router, tenantId), kind, id, body))


for _history_kind in HISTORY_KINDS:
    _history_routes(_history_kind)


# ---------------------------------------------------------------------------- attachments
attachments_router = Router()
ATTACHMENT_KINDS: tuple[attachments.AttachmentKind, ...] = ("accounts", "contacts", "invoices")


def _attachment_routes(kind: attachments.AttachmentKind) -> None:
    @attachments_router.get(f"/tenants/<tenantId>/{kind}/<id>/attachments")
    def list_attachments(tenantId: TenantId, id: RecordId) -> m.AttachmentList:
        return attachments.list_attachments(_tenant(attachments_router, tenantId), kind, id)

    @attachments_router.post(f"/tenants/<tenantId>/{kind}/<id>/attachments")
    def upload_attachment(
        tenantId: TenantId, id: RecordId, body: Annotated[m.AttachmentUpload, Body()]
    ) -> Response[m.Attachment]:
        tenant = _tenant(attachments_router, tenantId)
        return _json(201, attachments.upload_attachment(tenant, kind, id, body))

    @attachments_router.get(f"/tenants/<tenantId>/{kind}/<id>/attachments/<attachmentId>")
    def download_attachment(
        tenantId: TenantId, id: RecordId, attachmentId: RecordId
    ) -> Response[bytes]:
        tenant = _tenant(attachments_router, tenantId)
        found = attachments.download_attachment(tenant, kind, id, attachmentId)
        safe_name = "".join(c for c in found.file_name if c.isprintable() and c not in '"\\')
        return Response(
            status_code=200,
            content_type=found.mime_type,
            body=found.content,
            headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
        )


for _attachment_kind in ATTACHMENT_KINDS:
    _attachment_routes(_attachment_kind)


# ---------------------------------------------------------------------------- raw (admin)
raw_router = Router()


@raw_router.post("/tenants/<tenantId>/xero/raw")
def raw_request(tenantId: TenantId, body: Annotated[m.RawRequest, Body()]) -> Response[Any]:
    # Admin only, and still the tenant check: an administrator needs a grant to the tenant.
    tenant = _tenant(raw_router, tenantId, admin=True)
    logger.info(
        "raw xero request", extra={"tenant_id": tenant, "method": body.method, "path": body.path}
    )
    return Response(
        status_code=200, content_type="application/json", body=raw.raw_request(tenant, body)
    )


for _router in (
    accounts_router,
    contacts_router,
    invoices_router,
    items_router,
    history_router,
    attachments_router,
    raw_router,
):
    app.include_router(_router)

_settings = get_settings()
if _settings.app_env != "prod" and _settings.records_swagger_enabled:
    app.enable_swagger(path="/records/swagger", title="Xero Bridge records API")


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
