"""Attachments of invoices, contacts, accounts, credit notes and the other documents Xero
takes them on (bank transactions and transfers, manual journals, purchase orders, quotes,
receipts, repeating invoices): list, upload, download.

Limits, and why:

- **Size**: Xero takes up to 25 MB per file (10 files per document), but a Lambda behind API
  Gateway receives at most 6 MB per request and returns at most 6 MB, base64 included. The
  content travels base64-encoded, so `RECORDS_MAX_ATTACHMENT_BYTES` (default 4,000,000 raw
  bytes) is the largest file that fits both ways. Larger files: upload to Xero directly.
- **Types**: the document and image types Xero shows inline and accountants attach (PDF,
  images, office documents, CSV/text). The declared MIME type must be on that list, match
  the file name's extension and, for binary formats with a signature, the content's first
  bytes — so a renamed executable is refused before it reaches Xero.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import quote

from xero_bridge import snapshot_fences as fences
from xero_bridge.errors import (
    BadRequestError,
    NotFoundError,
    UpstreamError,
    ValidationFailedError,
)
from xero_bridge.records import mapping
from xero_bridge.records import models as m
from xero_bridge.records.attachment_kinds import XERO_RESOURCE, AttachmentKind
from xero_bridge.records.snapshot_reads import targets as snapshot_targets
from xero_bridge.settings import get_settings
from xero_bridge.xero.raw import accounting_request

# MIME type -> (extensions, signatures: the content starts with one of them; empty = any)
ALLOWED_TYPES: dict[str, tuple[tuple[str, ...], tuple[bytes, ...]]] = {
    "application/pdf": ((".pdf",), (b"%PDF-",)),
    "image/png": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    "image/gif": ((".gif",), (b"GIF87a", b"GIF89a")),
    "image/tiff": ((".tif", ".tiff"), (b"II*\x00", b"MM\x00*")),
    "image/bmp": ((".bmp",), (b"BM",)),
    "text/plain": ((".txt",), ()),
    "text/csv": ((".csv",), ()),
    "application/rtf": ((".rtf",), (b"{\\rtf",)),
    "application/msword": ((".doc",), (b"\xd0\xcf\x11\xe0",)),
    "application/vnd.ms-excel": ((".xls",), (b"\xd0\xcf\x11\xe0",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        (".docx",),
        (b"PK\x03\x04",),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        (".xlsx",),
        (b"PK\x03\x04",),
    ),
    "application/vnd.oasis.opendocument.text": ((".odt",), (b"PK\x03\x04",)),
    "application/vnd.oasis.opendocument.spreadsheet": ((".ods",), (b"PK\x03\x04",)),
}


def max_bytes() -> int:
    return get_settings().records_max_attachment_bytes


def _path(kind: AttachmentKind, record_id: str, tail: str = "") -> str:
    return f"/{XERO_RESOURCE[kind]}/{record_id}/Attachments{tail}"


def checked_content(upload: m.AttachmentUpload) -> bytes:
    """The decoded file, after the size and type checks (422 with the reason)."""
    limit = max_bytes()
    if len(upload.content_base64) > (limit * 4) // 3 + 4:
        raise ValidationFailedError(
            "the attachment is too large", [{"max_bytes": limit, "field": "content_base64"}]
        )
    try:
        content = base64.b64decode(upload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequestError(
            "content_base64 is not valid base64", [{"field": "content_base64"}]
        ) from None
    if not content:
        raise ValidationFailedError("the attachment is empty", [{"field": "content_base64"}])
    if len(content) > limit:
        raise ValidationFailedError(
            "the attachment is too large", [{"max_bytes": limit, "size": len(content)}]
        )
    mime = upload.mime_type.split(";")[0].strip().lower()
    allowed = ALLOWED_TYPES.get(mime)
    if allowed is None:
        raise ValidationFailedError(
            f"attachments of type {mime} are not accepted",
            [{"field": "mime_type", "allowed": sorted(ALLOWED_TYPES)}],
        )
    extensions, signatures = allowed
    if not upload.file_name.lower().endswith(extensions):
        raise ValidationFailedError(
            "the file name's extension does not match its type",
            [{"field": "file_name", "expected": list(extensions)}],
        )
    if signatures and not content.startswith(signatures):
        raise ValidationFailedError(
            f"the content is not a {mime} file", [{"field": "content_base64"}]
        )
    return content


def list_attachments(tenant_id: str, kind: AttachmentKind, record_id: str) -> m.AttachmentList:
    answer = accounting_request(tenant_id, "GET", _path(kind, record_id)).json() or {}
    return m.AttachmentList(
        attachments=[mapping.attachment_from_xero(a) for a in answer.get("Attachments") or []]
    )


def upload_attachment(
    tenant_id: str, kind: AttachmentKind, record_id: str, upload: m.AttachmentUpload
) -> m.Attachment:
    content = checked_content(upload)
    # The upload changes the record (HasAttachments): fence its snapshot first.
    with fences.writing(tenant_id, snapshot_targets(kind, record_id)):
        query = {"IncludeOnline": "true"} if upload.include_online and kind == "invoices" else {}
        answer = accounting_request(
            tenant_id,
            "PUT",
            _path(kind, record_id, "/" + quote(upload.file_name, safe="")),
            query=query,
            content=content,
            content_type=upload.mime_type.split(";")[0].strip().lower(),
        ).json()
        stored = (answer or {}).get("Attachments") or []
        if not stored:
            raise UpstreamError("Xero did not confirm the attachment")
        return mapping.attachment_from_xero(stored[0])


def download_attachment(
    tenant_id: str, kind: AttachmentKind, record_id: str, attachment_id: str
) -> m.AttachmentContent:
    attachments = list_attachments(tenant_id, kind, record_id).attachments
    listed = {a.attachment_id.lower(): a for a in attachments}
    described = listed.get(attachment_id.lower())
    if described is None:
        raise NotFoundError("Xero has no such attachment")
    if described.content_length is not None and described.content_length > max_bytes():
        raise ValidationFailedError(
            "the attachment is larger than this API can return; download it from Xero",
            [{"max_bytes": max_bytes(), "size": described.content_length}],
        )
    mime = described.mime_type or "application/octet-stream"
    response = accounting_request(
        tenant_id, "GET", _path(kind, record_id, "/" + attachment_id), accept=mime
    )
    return m.AttachmentContent(
        file_name=described.file_name,
        mime_type=response.content_type.split(";")[0] or mime,
        content=response.content,
    )
