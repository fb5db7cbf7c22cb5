"""GET /openapi.json and GET /docs: the one API description and Swagger UI over it.

The description is built from every function's own routes by `python -m devstack.openapi`
(`make openapi`) and shipped beside this handler; a test fails when it is stale. The
template deploys this function outside prod only. No resolver, no event handler import:
it answers two fixed routes.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from typing import Any

SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14"
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Xero Bridge API</title>
<link rel="stylesheet" href="{SWAGGER_UI}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{SWAGGER_UI}/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: "openapi.json", dom_id: "#swagger-ui"}});</script>
<noscript>{html.escape("The API description is at /openapi.json.")}</noscript>
</body></html>
"""

OPENAPI_PATHS: dict[str, Any] = {
    "/openapi.json": {
        "get": {
            "operationId": "get_openapi_document",
            "summary": "This API description (OpenAPI 3.1); not served in prod",
            "responses": {
                "200": {
                    "description": "The document",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/docs": {
        "get": {
            "operationId": "get_docs",
            "summary": "Swagger UI over /openapi.json; not served in prod",
            "responses": {
                "200": {
                    "description": "The page",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                }
            },
        }
    },
}


@cache
def _document() -> str:
    return (Path(__file__).parent / "openapi.json").read_text(encoding="utf-8")


def _answer(status: int, content_type: str, body: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_type, "Cache-Control": "no-cache"},
        "body": body,
        "isBase64Encoded": False,
    }


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    route = event.get("routeKey")
    if route == "GET /openapi.json":
        return _answer(200, "application/json", _document())
    if route == "GET /docs":
        return _answer(200, "text/html; charset=utf-8", PAGE)
    body = '{"error":{"code":"not_found","message":"no such route","details":[]}}'
    return _answer(404, "application/json", body)
