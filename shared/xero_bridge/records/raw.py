"""The admin raw request: any path under the Accounting API, through the shared client path
(token, tenant binding, call budget, retries of failed connects, exact decimals)."""

from __future__ import annotations

from xero_bridge import snapshot_fences as fences
from xero_bridge.observability import logger
from xero_bridge.records.models import RawRequest
from xero_bridge.records.snapshot_reads import EVERY_SNAPSHOT
from xero_bridge.xero.exact_json import dumps, to_json_ready
from xero_bridge.xero.raw import accounting_request


def raw_request(tenant_id: str, request: RawRequest) -> str:
    """Xero's answer as JSON text ``{"status": …, "body": …}`` with numbers exact.

    Any write may change any invoice or contact, so it fences every snapshot of the tenant.
    """
    logger.info(
        "raw xero request",
        extra={"tenant_id": tenant_id, "method": request.method, "path": request.path},
    )
    writes = [] if request.method == "GET" else EVERY_SNAPSHOT
    with fences.writing(tenant_id, writes):
        response = accounting_request(
            tenant_id,
            request.method,
            request.path,
            query=request.query,
            body=request.body if request.method in ("PUT", "POST") else None,
        )
    body = response.json()
    if body is None and response.content:
        body = {"content_type": response.content_type, "size": len(response.content)}
    return dumps(to_json_ready({"status": response.status, "body": body}))
