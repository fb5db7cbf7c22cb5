"""The one API description of the whole public API, built from the functions themselves.

Each HTTP function describes its own routes: a Powertools resolver (`app`) from its route
annotations (request models, response models, the statuses it declares), a handler without
one (the webhook intake) in a module-level `OPENAPI_PATHS`. This module loads every function
of template.yaml that has HTTP routes, takes the paths the template routes to it, merges
their components, and adds what is the same for every route:

- the Okta bearer security with the route's scopes (from the authorizer's route policy);
- the error answers every route can give whatever its handler: 400 where it takes input,
  401/403 behind the authorizer, 429/502/503/504 where it reaches Xero for a tenant — all
  with the error body's schema. Powertools' own 422 "validation error" is dropped: our
  validation errors are 400s.

`python -m devstack.openapi` writes `functions/docs/openapi.json`, which the docs function
serves at GET /openapi.json (and Swagger UI at GET /docs); a test fails when that file is
stale or when it and the template disagree about the routes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from devstack.lambda_runtime import load_handler_module
from devstack.template import ROOT, Route, SamTemplate

DOCUMENT_PATH = ROOT / "functions" / "docs" / "openapi.json"
TITLE = "Xero Bridge API"
METHODS = ("get", "put", "post", "delete", "patch")
SECURITY_SCHEME = "okta"
POWERTOOLS_VALIDATION_SCHEMAS = (
    "HTTPValidationError",
    "ResponseValidationError",
    "ValidationError",
)
# What any route that reaches Xero for a tenant may answer: Xero's validation refusals,
# its limits, its failures.
XERO_STATUSES = (422, 429, 502, 503, 504)
# API Gateway answers these itself when the authorizer refuses (its own body shape).
GATEWAY_STATUSES = (401, 403)


def _function_document(function_id: str, template: SamTemplate) -> dict[str, Any]:
    """The OpenAPI paths and components one function describes."""
    code_dir, handler = template.function_code(function_id)
    module, _ = load_handler_module(code_dir, handler, f"openapi_{function_id}")
    app = getattr(module, "app", None)
    if app is not None and hasattr(app, "get_openapi_schema"):
        schema = app.get_openapi_schema(title=TITLE, version="0")
        return schema.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {"paths": getattr(module, "OPENAPI_PATHS", {})}


def _merge_components(target: dict[str, Any], source: dict[str, Any], owner: str) -> None:
    for kind, entries in source.get("components", {}).items():
        merged = target.setdefault(kind, {})
        for name, value in entries.items():
            if name in merged and merged[name] != value:
                raise ValueError(f"{owner} describes {kind}.{name} unlike another function")
            merged[name] = value


def _security(route: Route) -> list[dict[str, list[str]]] | None:
    """The route's security requirement: any one of the scopes its rule accepts."""
    from xero_bridge.auth.route_policy import rule_for

    rule = rule_for(route.route_key)
    if rule is None:
        raise ValueError(f"{route.route_key} has no rule in the route policy")
    if not rule.behind_authorizer:
        return None
    if rule.signed_in_only:
        return [{SECURITY_SCHEME: []}]
    return [{SECURITY_SCHEME: [scope]} for scope in sorted(rule.any_of)]


def _error_responses() -> dict[str, Any]:
    """`components.responses`: one error answer per status, with the error body's schema."""
    from xero_bridge.http.schemas import ERROR_DESCRIPTIONS, error_response

    ours = {"$ref": "#/components/schemas/ErrorBody"}
    gateways = {"$ref": "#/components/schemas/GatewayError"}
    answers: dict[str, Any] = {}
    for status in ERROR_DESCRIPTIONS:
        answer: dict[str, Any] = dict(error_response(status))
        schema = {"oneOf": [ours, gateways]} if status in GATEWAY_STATUSES else ours
        answer["content"] = {"application/json": {"schema": schema}}
        answers[f"Error{status}"] = answer
    return answers


def _error(status: int) -> dict[str, Any]:
    return {"$ref": f"#/components/responses/Error{status}"}


def _complete(operation: dict[str, Any], route: Route) -> None:
    """Add the security and the error answers every route of its kind can give."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    declared_422 = responses.get("422", {})
    if "HTTPValidationError" in json.dumps(declared_422):
        del responses["422"]
    statuses: list[int] = []
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append(400)
    if operation.get("requestBody"):
        statuses.append(415)  # a body that is not application/json
    security = _security(route)
    if security is not None:
        operation["security"] = security
        statuses += [401, 403]
    if route.path.startswith("/tenants/{tenantId}"):
        statuses += [403, *XERO_STATUSES]
    if route.path.replace("{tenantId}", "").count("{"):
        statuses.append(404)  # a record (or connection, payment…) that does not exist
    for status in statuses:
        responses.setdefault(str(status), _error(status))
    if "204" in responses:  # no body, whatever the handler's return annotation says
        responses["204"].pop("content", None)
    operation["responses"] = dict(sorted(responses.items()))


def build_document(template: SamTemplate | None = None) -> dict[str, Any]:
    """The API description of every route of the template."""
    from xero_bridge import __version__
    from xero_bridge.http.schemas import ErrorBody

    template = template or SamTemplate()
    routes = [r for r in template.routes() if r.method.lower() in METHODS]
    paths: dict[str, dict[str, Any]] = {}
    components: dict[str, Any] = {}
    for function_id in sorted({r.function_id for r in routes}):
        described = _function_document(function_id, template)
        _merge_components(components, described, function_id)
        for route in (r for r in routes if r.function_id == function_id):
            operation = described.get("paths", {}).get(route.path, {}).get(route.method.lower())
            if operation is None:
                raise ValueError(f"{function_id} does not describe {route.route_key}")
            _complete(operation, route)
            paths.setdefault(route.path, {})[route.method.lower()] = operation
    schemas = components.setdefault("schemas", {})
    for name in POWERTOOLS_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in error_schema.pop("$defs", {}).items():
        schemas[name] = definition
    schemas["ErrorBody"] = error_schema
    schemas["GatewayError"] = {
        "type": "object",
        "description": "API Gateway's own answer when the authorizer refuses a request",
        "properties": {"message": {"type": "string"}},
        "required": ["message"],
    }
    components["schemas"] = dict(sorted(schemas.items()))
    components["responses"] = {**components.get("responses", {}), **_error_responses()}
    components["securitySchemes"] = {
        SECURITY_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An Okta access token from the custom authorization server the"
            " deployment trusts. Each route lists the scopes that admit it (any one of them).",
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": __version__,
            "description": "Xero Bridge connects a business's frontends to its Xero"
            ' organisations. Errors are `{"error": {"code", "message", "details"}}`;'
            " money is a decimal string.",
        },
        "paths": dict(sorted(paths.items())),
        "components": components,
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _environment() -> None:
    """What importing the handlers needs (no AWS is called while describing them)."""
    os.environ.setdefault("APP_ENV", "test")
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "XeroBridge")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    _environment()
    text = render(build_document())
    if args.check:
        if not DOCUMENT_PATH.exists() or DOCUMENT_PATH.read_text() != text:
            print(f"{DOCUMENT_PATH} is stale: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    DOCUMENT_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCUMENT_PATH.write_text(text)
    print(f"wrote {DOCUMENT_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
