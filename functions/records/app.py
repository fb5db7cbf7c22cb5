"""The records API: /tenants/{tenantId}/{accounts,contacts,invoices,items}…, xero/raw.

Thin: each route validates its input (Powertools + pydantic), checks the caller's access to
the tenant, calls one function of `xero_bridge.records` and returns its model. One Router
per resource. Request bodies are parsed with numbers as Decimal, so money is exact from the
first byte. The API description is served at /records/swagger outside prod only (the route
sits behind the Okta authorizer like every other).
"""

import json
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ValidationError

from xero_bridge import snapshot_fences as fences
from xero_bridge.auth.principal import Principal
from xero_bridge.auth.tenant_access import require_tenant_access
from xero_bridge.errors import BadRequestError, ForbiddenError
from xero_bridge.observability import logger
from xero_bridge.records import accounts, attachments, contacts, history, invoices, items, raw
from xero_bridge.records import models as m
from xero_bridge.records import query as q
from xero_bridge.records import snapshot_reads as reads
from xero_bridge.records.attachment_kinds import ATTACHMENT_KINDS, AttachmentKind
from xero_bridge.responses import install_error_handlers
from xero_bridge.settings import get_settings

GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
TenantId = Annotated[str, Path(min_length=1, max_length=64)]
RecordId = Annotated[str, Path(pattern=GUID)]
Page = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=q.MAX_PAGE_SIZE)]
ModifiedSince = Annotated[str | None, Query(max_length=40)]
Search = Annotated[str | None, Query(min_length=1, max_length=100)]
Where = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=q.WHERE_MAX_LENGTH,
        description="A Xero `where` expression, AND-ed with the other filters"
        ' (e.g. `Code.StartsWith("4")`)',
    ),
]

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


# GETs of one invoice or contact may be answered from the webhook worker's snapshots.
CacheControl = Annotated[str | None, Header(description=reads.CACHE_CONTROL_DESCRIPTION)]
SOURCED: dict[int, Any] = {200: {"description": "The record", "headers": reads.OPENAPI_HEADERS}}


def _sourced(router: Router, read: Any) -> Response[Any]:
    """`read(policy)` under the request's Cache-Control, answered with where it came from."""
    found = read(reads.read_policy(router.current_event.headers))
    return Response(200, "application/json", found.value, headers=found.headers())


class _RecordRoutes:
    """The routes of the same shape for every record type, on the record type's Router.

    Each call registers one route where it stands, so the routes keep the order they are
    written in. The handlers are named as if written out (`create_account`…) because
    Powertools derives the OpenAPI operationId from the name; it validates and documents from
    the annotations, which are the record type's own models.
    """

    def __init__(self, router: Router, plural: str, singular: str, model: type[BaseModel]):
        self.router, self.plural, self.singular, self.model = router, plural, singular, model

    def _register(self, route: Callable[[str], Any], verb: str, path: str, handler: Any) -> None:
        handler.__name__ = handler.__qualname__ = f"{verb}_{self.singular}"
        route(f"/tenants/<tenantId>/{self.plural}{path}")(handler)

    def create(
        self, body_model: type[BaseModel], create: Callable[[str, Any, str | None], BaseModel]
    ) -> None:
        """POST /tenants/{tenantId}/{plural}: 201, with the caller's Idempotency-Key."""
        router, model = self.router, self.model

        def handler(tenantId: TenantId, body: Annotated[body_model, Body()]) -> Response[model]:  # type: ignore[valid-type]
            tenant = _tenant(router, tenantId)
            return _json(201, create(tenant, body, _idempotency_key(router)))

        self._register(router.post, "create", "", handler)

    def update(
        self, body_model: type[BaseModel], update: Callable[[str, str, Any], BaseModel]
    ) -> None:
        """PUT /tenants/{tenantId}/{plural}/{id}."""
        router, model = self.router, self.model

        def handler(tenantId: TenantId, id: RecordId, body: Annotated[body_model, Body()]) -> model:  # type: ignore[valid-type]
            return update(_tenant(router, tenantId), id, body)

        self._register(router.put, "update", "/<id>", handler)

    def delete(self, delete: Callable[[str, str], object]) -> None:
        """DELETE /tenants/{tenantId}/{plural}/{id}: 204."""
        router = self.router

        def handler(tenantId: TenantId, id: RecordId) -> Response[None]:
            delete(_tenant(router, tenantId), id)
            return _no_content()

        self._register(router.delete, "delete", "/<id>", handler)

    def action(self, verb: str, act: Callable[[str, str], BaseModel]) -> None:
        """POST /tenants/{tenantId}/{plural}/{id}/{verb} (archive, void): the record after."""
        router, model = self.router, self.model

        def handler(tenantId: TenantId, id: RecordId) -> model:  # type: ignore[valid-type]
            return act(_tenant(router, tenantId), id)

        self._register(router.post, verb, f"/<id>/{verb}", handler)


# ---------------------------------------------------------------------------- accounts
accounts_router = Router()
_accounts = _RecordRoutes(accounts_router, "accounts", "account", m.Account)


@accounts_router.get("/tenants/<tenantId>/accounts")
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
    query = _query(
        q.AccountQuery,
        type=type,
        status=status,
        search=search,
        modified_since=modified_since,
        where=where,
        page=page,
        page_size=page_size,
    )
    return accounts.list_accounts(_tenant(accounts_router, tenantId), query)


_accounts.create(m.AccountCreate, accounts.create_account)


@accounts_router.get("/tenants/<tenantId>/accounts/<id>")
def get_account(tenantId: TenantId, id: RecordId) -> m.Account:
    return accounts.get_account(_tenant(accounts_router, tenantId), id)


_accounts.update(m.AccountUpdate, accounts.update_account)
_accounts.delete(accounts.delete_account)
_accounts.action("archive", accounts.archive_account)


# ---------------------------------------------------------------------------- contacts
contacts_router = Router()
_contacts = _RecordRoutes(contacts_router, "contacts", "contact", m.Contact)


@contacts_router.get("/tenants/<tenantId>/contacts")
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
    query = _query(
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
    return contacts.list_contacts(_tenant(contacts_router, tenantId), query)


_contacts.create(m.ContactCreate, contacts.create_contact)


@contacts_router.post("/tenants/<tenantId>/contacts/upsert")
def upsert_contacts(
    tenantId: TenantId, body: Annotated[m.ContactUpsert, Body()]
) -> m.ContactUpsertResult:
    tenant = _tenant(contacts_router, tenantId)
    return contacts.upsert_contacts(tenant, body, _idempotency_key(contacts_router))


@contacts_router.get("/tenants/<tenantId>/contacts/<id>", responses=SOURCED)
def get_contact(
    tenantId: TenantId, id: RecordId, cache_control: CacheControl = None
) -> Response[m.Contact]:
    tenant = _tenant(contacts_router, tenantId)
    return _sourced(contacts_router, partial(contacts.read_contact, tenant, id))


_contacts.update(m.ContactUpdate, contacts.update_contact)
_contacts.action("archive", contacts.archive_contact)


# ---------------------------------------------------------------------------- invoices
invoices_router = Router()
_invoices = _RecordRoutes(invoices_router, "invoices", "invoice", m.Invoice)


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
    where: Where = None,
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
        where=where,
        page=page,
        page_size=page_size,
    )
    return invoices.list_invoices(_tenant(invoices_router, tenantId), query)


_invoices.create(m.InvoiceCreate, invoices.create_invoice)


@invoices_router.get("/tenants/<tenantId>/invoices/<id>", responses=SOURCED)
def get_invoice(
    tenantId: TenantId, id: RecordId, cache_control: CacheControl = None
) -> Response[m.Invoice]:
    tenant = _tenant(invoices_router, tenantId)
    return _sourced(invoices_router, partial(invoices.read_invoice, tenant, id))


_invoices.update(m.InvoiceUpdate, invoices.update_invoice)


# Not `_invoices.delete`: Xero deletes an invoice by status, and this answers the invoice.
@invoices_router.delete("/tenants/<tenantId>/invoices/<id>")
def delete_invoice(tenantId: TenantId, id: RecordId) -> m.Invoice:
    return invoices.delete_invoice(_tenant(invoices_router, tenantId), id)


_invoices.action("void", invoices.void_invoice)


@invoices_router.post("/tenants/<tenantId>/invoices/<id>/email")
def email_invoice(tenantId: TenantId, id: RecordId) -> Response[None]:
    invoices.email_invoice(_tenant(invoices_router, tenantId), id)
    return _no_content()


# ---------------------------------------------------------------------------- items
items_router = Router()
_items = _RecordRoutes(items_router, "items", "item", m.Item)


@items_router.get("/tenants/<tenantId>/items")
def list_items(
    tenantId: TenantId,
    search: Search = None,
    modified_since: ModifiedSince = None,
    where: Where = None,
    page: Page = 1,
    page_size: PageSize = q.DEFAULT_PAGE_SIZE,
) -> m.ItemList:
    query = _query(
        q.ItemQuery,
        search=search,
        modified_since=modified_since,
        where=where,
        page=page,
        page_size=page_size,
    )
    return items.list_items(_tenant(items_router, tenantId), query)


_items.create(m.ItemCreate, items.create_item)


@items_router.get("/tenants/<tenantId>/items/<id>")
def get_item(tenantId: TenantId, id: RecordId) -> m.Item:
    return items.get_item(_tenant(items_router, tenantId), id)


_items.update(m.ItemUpdate, items.update_item)
_items.delete(items.delete_item)


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


def _attachment_routes(kind: AttachmentKind) -> None:
    @attachments_router.get(f"/tenants/<tenantId>/{kind}/<id>/attachments")
    def list_attachments(tenantId: TenantId, id: RecordId) -> m.AttachmentList:
        return attachments.list_attachments(_tenant(attachments_router, tenantId), kind, id)

    @attachments_router.post(f"/tenants/<tenantId>/{kind}/<id>/attachments")
    def upload_attachment(
        tenantId: TenantId, id: RecordId, body: Annotated[m.AttachmentUpload, Body()]
    ) -> Response[m.Attachment]:
        tenant = _tenant(attachments_router, tenantId)
        with fences.writing(tenant, reads.targets(kind, id)):
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
    writes = [] if body.method == "GET" else reads.EVERY_SNAPSHOT
    with fences.writing(tenant, writes):
        answer = raw.raw_request(tenant, body)
    return Response(status_code=200, content_type="application/json", body=answer)


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
