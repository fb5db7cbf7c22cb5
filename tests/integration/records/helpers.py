"""What the records tests share beyond `api`: the attachment upload and its round trip, the
refusals for another tenant's documents, and a document made through the admin raw route."""

from __future__ import annotations

import base64
from typing import Any

from tests.integration.records.conftest import OTHER_TENANT, TENANT, Answer, api

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNKNOWN_ID = "a5000000-0000-4000-8000-00000000dead"


def upload_body(
    file_name: str, content: bytes = PDF, mime_type: str = "application/pdf"
) -> dict[str, str]:
    """The body of POST …/attachments."""
    return {
        "file_name": file_name,
        "mime_type": mime_type,
        "content_base64": base64.b64encode(content).decode(),
    }


def assert_upload_list_download(path: str, file_name: str) -> None:
    """At `path` (a document's …/attachments, none yet): a PDF uploaded as `file_name` is
    listed alone and downloads byte for byte, as a PDF attachment of that name."""
    assert api("GET", path).body["attachments"] == []
    uploaded = api("POST", path, body=upload_body(file_name))
    assert uploaded.status == 201, uploaded.body
    assert uploaded.body["file_name"] == file_name
    listed = api("GET", path)
    assert listed.status == 200, listed.body
    assert [a["file_name"] for a in listed.body["attachments"]] == [file_name]
    assert [a["attachment_id"] for a in listed.body["attachments"]] == [
        uploaded.body["attachment_id"]
    ]
    downloaded = api("GET", f"{path}/{uploaded.body['attachment_id']}")
    assert downloaded.status == 200
    assert downloaded.raw == PDF
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert downloaded.headers["Content-Disposition"] == f'attachment; filename="{file_name}"'


def assert_other_tenants_attachments_refused(records: Any, path: str, file_name: str) -> None:
    """Every attachment route at `path` (another tenant's document) is 403, and Xero is not
    called for that tenant."""
    before = records.calls(OTHER_TENANT)
    for method, route, body in (
        ("GET", path, None),
        ("POST", path, upload_body(file_name)),
        ("GET", f"{path}/{UNKNOWN_ID}", None),
    ):
        answer = api(method, route, body=body)
        assert answer.status == 403, (method, route, answer.body)
    assert records.calls(OTHER_TENANT) == before


def raw_put(
    collection: str, record: dict[str, Any], line: dict[str, Any], tenant: str = TENANT
) -> Answer:
    """PUT /<collection> of one `record` with one line item, through the admin raw route."""
    body = {
        "method": "PUT",
        "path": f"/{collection}",
        "body": {collection: [{**record, "LineItems": [line]}]},
    }
    answer = api("POST", f"/tenants/{tenant}/xero/raw", body=body, groups=["admin"])
    assert answer.status == 200, answer.body
    return answer
