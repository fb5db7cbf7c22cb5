"""/tenants/{tenantId}/{kind}/{id}/attachments…: the files on every kind of Xero document
that takes them (`ATTACHMENT_KINDS`); the same three routes per kind."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from records_routes.common import created_answer, tenant
from xero_bridge.http.answers import created
from xero_bridge.http.request import RecordId, TenantId
from xero_bridge.records import attachments
from xero_bridge.records import models as m
from xero_bridge.records.attachment_kinds import ATTACHMENT_KINDS, AttachmentKind

router = Router()


def _download(found: m.AttachmentContent) -> Response[bytes]:
    safe_name = "".join(c for c in found.file_name if c.isprintable() and c not in '"\\')
    return Response(
        status_code=200,
        content_type=found.mime_type,
        body=found.content,
        headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
    )


def _routes(kind: AttachmentKind) -> None:
    @router.get(f"/tenants/<tenantId>/{kind}/<id>/attachments")
    def list_attachments(tenantId: TenantId, id: RecordId) -> m.AttachmentList:
        return attachments.list_attachments(tenant(router, tenantId), kind, id)

    @router.post(
        f"/tenants/<tenantId>/{kind}/<id>/attachments", responses=created_answer(m.Attachment)
    )
    def upload_attachment(
        tenantId: TenantId, id: RecordId, body: Annotated[m.AttachmentUpload, Body()]
    ) -> Response[m.Attachment]:
        return created(attachments.upload_attachment(tenant(router, tenantId), kind, id, body))

    @router.get(f"/tenants/<tenantId>/{kind}/<id>/attachments/<attachmentId>")
    def download_attachment(
        tenantId: TenantId, id: RecordId, attachmentId: RecordId
    ) -> Response[bytes]:
        tenant_id = tenant(router, tenantId)
        return _download(attachments.download_attachment(tenant_id, kind, id, attachmentId))


for _kind in ATTACHMENT_KINDS:
    _routes(_kind)
