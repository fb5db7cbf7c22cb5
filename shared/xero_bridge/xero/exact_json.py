"""Request bodies for Xero with every Decimal written as an exact JSON number.

xero-python's serializer turns Decimal into float before `json.dumps`, so an amount with
more significant digits than a double holds (or one whose shortest float repr differs from
its decimal text) would reach Xero changed. The shared client (`xero_bridge.xero.client`)
instead encodes JSON bodies here, once, and hands the bytes to `ExactJsonRestClient`,
which sends them untouched:

- `to_json_ready(value)` walks xero-python models (their `openapi_types` and
  `attribute_map`, as xero-python's own serializer does), dicts and lists; Decimals stay
  Decimal, everything else is serialised by xero-python (dates in its /Date(…)/ format).
- `dumps(value)` writes JSON with Decimals as their exact text (`Decimal("0.10")` → `0.10`):
  `xero_bridge.decimal_json`, the writer snapshots use too.
- `ExactJsonBody` marks the encoded bytes; xero-python's serializer passes it through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import urlencode

import urllib3
from xero_python.api_client.serializer import serialize
from xero_python.exceptions import ApiSSLException, HTTPStatusException
from xero_python.models import BaseModel as XeroModel
from xero_python.rest import RESTClientObject, RESTResponse

from xero_bridge.decimal_json import dumps

__all__ = ["ExactJsonBody", "ExactJsonRestClient", "dumps", "encode_body", "to_json_ready"]

_LIST = re.compile(r"^list\[(.*)\]$")
_DICT = re.compile(r"^dict\((?:[^,]*), (.*)\)$")


class ExactJsonBody(bytes):
    """A request body already encoded as JSON (exact decimals): sent as it is."""


# xero-python dispatches its serializer on the value's type name; ours passes through.
serialize.register("ExactJsonBody")(lambda value, explicit_type=None: value)


def to_json_ready(value: Any, explicit_type: str | None = None) -> Any:
    """`value` as JSON-ready data, Decimals kept (xero-python's serializer floats them)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("a non-finite number cannot be sent to Xero")
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, XeroModel):
        ready: dict[str, Any] = {}
        for attribute, attribute_type in value.openapi_types.items():
            item = getattr(value, attribute)
            if item is not None:
                ready[value.attribute_map[attribute]] = to_json_ready(item, attribute_type)
        return ready
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        match = _DICT.match(explicit_type or "")
        inner = match.group(1) if match else None
        return {str(key): to_json_ready(item, inner) for key, item in value.items()}
    if isinstance(value, list | tuple):
        match = _LIST.match(explicit_type or "")
        inner = match.group(1) if match else None
        return [to_json_ready(item, inner) for item in value]
    if isinstance(value, bool | int | str):
        return value
    return serialize(value, explicit_type)  # dates and datetimes, in xero-python's formats


def encode_body(body: Any) -> ExactJsonBody:
    """A model, dict or list as the exact JSON bytes to send."""
    return ExactJsonBody(dumps(to_json_ready(body)).encode("utf-8"))


def _timeout(request_timeout: Any) -> urllib3.Timeout | None:
    if isinstance(request_timeout, int | float) and not isinstance(request_timeout, bool):
        return urllib3.Timeout(total=request_timeout)
    if isinstance(request_timeout, tuple) and len(request_timeout) == 2:
        return urllib3.Timeout(connect=request_timeout[0], read=request_timeout[1])
    return None


class ExactJsonRestClient(RESTClientObject):
    """xero-python's REST client; an `ExactJsonBody` is sent as its bytes, unchanged
    (xero-python would `json.dumps` it). Everything else goes the usual way."""

    def request(
        self,
        method: str,
        url: str,
        query_params: Any = None,
        headers: Any = None,
        body: Any = None,
        post_params: Any = None,
        _preload_content: bool = True,
        _request_timeout: Any = None,
    ) -> Any:
        if not isinstance(body, ExactJsonBody):
            return super().request(
                method,
                url,
                query_params=query_params,
                headers=headers,
                body=body,
                post_params=post_params,
                _preload_content=_preload_content,
                _request_timeout=_request_timeout,
            )
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "application/json")
        if query_params:
            url += "?" + urlencode(query_params)
        try:
            response = self.pool_manager.request(
                method.upper(),
                url,
                body=bytes(body),
                preload_content=_preload_content,
                timeout=_timeout(_request_timeout),
                headers=headers,
            )
        except urllib3.exceptions.SSLError as exc:
            raise ApiSSLException(status=0, reason=f"{type(exc).__name__}\n{exc}") from exc
        if not 200 <= response.status <= 299:
            raise HTTPStatusException(http_resp=RESTResponse(response))
        return RESTResponse(response) if _preload_content else response
