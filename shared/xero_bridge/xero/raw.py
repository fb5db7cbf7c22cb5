"""One request to a path under the Accounting API, through the shared client path.

`accounting_request(tenant_id, method, path, ...)` goes through the same `BridgeApiClient`
as every typed call (`accounting_api(tenant_id).api_client.call_api`): the token manager,
the tenant binding, the shared call budget, the 401-refresh and exact-decimal JSON bodies.
It serves the admin `xero/raw` route and calls xero-python has no generic method for
(attachments of any entity). Errors come out mapped by `xero_call`.

Paths are relative to ``/api.xro/2.0``: ``/Invoices``, ``Contacts/<id>/History``. Anything
that could leave the Accounting API (``..``, ``//``, a scheme, a query in the path) is
refused with a 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from xero_bridge.errors import BadRequestError
from xero_bridge.xero.client import accounting_api, xero_call

Method = Literal["GET", "PUT", "POST", "DELETE"]

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
MAX_SEGMENTS = 6


@dataclass(frozen=True)
class XeroResponse:
    status: int
    headers: dict[str, str]
    content: bytes
    content_type: str

    def json(self) -> Any:
        """The body as JSON with numbers as Decimal, or None when empty / not JSON."""
        if not self.content or "json" not in self.content_type:
            return None
        try:
            return json.loads(self.content, parse_float=Decimal)
        except ValueError:
            return None


def accounting_path(path: str) -> str:
    """``/Invoices/<id>`` from what a caller gave; BadRequestError when it is not one."""
    text = (path or "").strip()
    segments = text.strip("/").split("/")
    if (
        not text
        or "//" in text
        or len(segments) > MAX_SEGMENTS
        or not all(_SEGMENT.match(segment) and ".." not in segment for segment in segments)
    ):
        raise BadRequestError(
            "path must be a path under the Accounting API, e.g. /Invoices or /Contacts/<id>"
        )
    return "/" + "/".join(segments)


def accounting_request(
    tenant_id: str,
    method: Method,
    path: str,
    *,
    query: Mapping[str, str] | None = None,
    body: Any = None,
    content: bytes | None = None,
    content_type: str = "application/json",
    accept: str = "application/json",
    headers: Mapping[str, str] | None = None,
) -> XeroResponse:
    """Send one request for `tenant_id`; JSON `body` (Decimals exact) or raw `content`."""
    api = accounting_api(tenant_id)
    header_params: dict[str, str] = {
        **dict(headers or {}),
        "xero-tenant-id": tenant_id,
        "Accept": accept,
        "Content-Type": content_type,
    }
    url = api.get_resource_url(accounting_path(path))
    payload: Any = content if content is not None else body
    response = xero_call(
        lambda: api.api_client.call_api(
            url,
            method,
            None,
            list((query or {}).items()),
            header_params,
            body=payload,
            post_params=[],
            files={},
            response_type=None,
            auth_settings=["OAuth2"],
            _return_http_data_only=True,
            _preload_content=False,
        )
    )
    received = {str(k): str(v) for k, v in dict(response.headers or {}).items()}
    lowered = {key.lower(): value for key, value in received.items()}
    return XeroResponse(
        status=int(response.status),
        headers=received,
        content=bytes(response.data or b""),
        content_type=lowered.get("content-type", ""),
    )
