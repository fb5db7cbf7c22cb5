"""/tenants/{tenantId}/{contacts,invoices,items}/{id}/history: a record's history, and notes
added to it. The same two routes for each kind of record, registered per kind."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from records_routes.common import created_answer, tenant
from xero_bridge.http.answers import created
from xero_bridge.http.request import RecordId, TenantId
from xero_bridge.records import history
from xero_bridge.records import models as m

router = Router()
HISTORY_KINDS: tuple[history.HistoryKind, ...] = ("contacts", "invoices", "items")


def _routes(kind: history.HistoryKind) -> None:
    @router.get(f"/tenants/<tenantId>/{kind}/<id>/history")
    def get_history(tenantId: TenantId, id: RecordId) -> m.HistoryList:
        return history.get_history(tenant(router, tenantId), kind, id)

    @router.post(
        f"/tenants/<tenantId>/{kind}/<id>/history", responses=created_answer(m.HistoryList)
    )
    def add_note(
        tenantId: TenantId, id: RecordId, body: Annotated[m.NoteCreate, Body()]
    ) -> Response[m.HistoryList]:
        return created(history.add_note(tenant(router, tenantId), kind, id, body))


for _kind in HISTORY_KINDS:
    _routes(_kind)
