"""This API's own origin, as the request reached it: for URLs handed to others (Xero's
redirect URI, Saferpay's notification URL) when none is configured."""

from __future__ import annotations

from typing import Any


def api_origin(event: Any) -> str:
    """`https://<the domain API Gateway reports>` (an `APIGatewayProxyEventV2`).

    API Gateway is HTTPS only; the local gateway of `make dev` is plain HTTP on loopback. A
    proxy in front may say otherwise in X-Forwarded-Proto (its first value counts).
    """
    domain = event.request_context.domain_name
    local = domain.split(":")[0] in ("127.0.0.1", "localhost")
    scheme = (event.headers or {}).get("x-forwarded-proto", "http" if local else "https")
    return f"{scheme.split(',')[0].strip()}://{domain}"
