"""Mirrors: /tenants/{tenantId}/mirrors… — create, list, show (with health), stop, log.

Thin: each route takes its input as Powertools validates it, checks that the caller is an
administrator granted the source organisation (`caller(…, admin=True)`; the target's grant
is checked by `xero_bridge.mirrors.service`), calls one function of the service and answers
its model.
"""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.auth.principal import Principal
from xero_bridge.http.answers import created, no_content
from xero_bridge.http.request import TenantId, caller
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import responses
from xero_bridge.mirrors import service
from xero_bridge.mirrors.models import (
    LogPageOut,
    MirrorCreate,
    MirrorListOut,
    MirrorOut,
    Outcome,
)
from xero_bridge.observability import logger

app = HttpApi()

MirrorId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="The mirror's id")]
READ_ERRORS = (400, 403, 404)


def _admin(tenant_id: str) -> Principal:
    return caller(app, tenant_id, admin=True)


@app.post(
    "/tenants/<tenantId>/mirrors",
    summary="Create a mirror: copy this organisation's invoices into another as they change",
    responses=responses({201: (MirrorOut, "Created")}, 400, 403, 409, 422, 429, 503),
)
def create(tenantId: TenantId, body: Annotated[MirrorCreate, Body()]) -> Response[MirrorOut]:
    return created(service.create_mirror(tenantId, _admin(tenantId), body))


@app.get(
    "/tenants/<tenantId>/mirrors",
    summary="The active mirrors out of this organisation, with their health",
    responses=responses({200: (MirrorListOut, "Every active mirror")}, *READ_ERRORS),
)
def list_mirrors(tenantId: TenantId) -> MirrorListOut:
    return service.list_mirrors(tenantId, _admin(tenantId))


@app.get(
    "/tenants/<tenantId>/mirrors/<mirrorId>",
    summary="One mirror: what it copies and how it is doing",
    responses=responses({200: (MirrorOut, "The mirror")}, *READ_ERRORS),
)
def get_mirror(tenantId: TenantId, mirrorId: MirrorId) -> MirrorOut:
    return service.get_mirror(tenantId, mirrorId, _admin(tenantId))


@app.delete(
    "/tenants/<tenantId>/mirrors/<mirrorId>",
    summary="Stop a mirror (nothing already copied is touched)",
    responses={204: {"description": "Stopped; no body"}, **responses({}, *READ_ERRORS)},
)
def delete_mirror(tenantId: TenantId, mirrorId: MirrorId) -> Response[Any]:
    service.delete_mirror(tenantId, mirrorId, _admin(tenantId))
    return no_content()


@app.get(
    "/tenants/<tenantId>/mirrors/<mirrorId>/log",
    summary="What the mirror copied, updated, skipped (and why) or failed (with Xero's "
    "message), newest first",
    responses=responses({200: (LogPageOut, "One page")}, *READ_ERRORS),
)
def mirror_log(
    tenantId: TenantId,
    mirrorId: MirrorId,
    page: Annotated[str | None, Query(max_length=2000)] = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    outcome: Annotated[Outcome | None, Query()] = None,
) -> LogPageOut:
    return service.mirror_log_page(
        tenantId, mirrorId, _admin(tenantId), page=page, page_size=page_size, outcome=outcome
    )


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
