"""Connecting Xero: POST /xero/connect, GET /xero/callback, GET·DELETE /xero/connections."""

import html
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from xero_bridge.connections.disconnect import disconnect
from xero_bridge.connections.flow import ConnectResult, complete_connect, start_connect
from xero_bridge.connections.listing import list_connections
from xero_bridge.errors import ForbiddenError, XeroBridgeError, as_bridge_error
from xero_bridge.http.request import TenantId, caller
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import ERROR_DESCRIPTIONS, ErrorBody, error_responses, responses
from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.responses import dumps, log_error
from xero_bridge.settings import get_settings

app = HttpApi()

CONNECT_SCOPE = "xero:connect"


ScopeName = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class ConnectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_to: str | None = Field(None, max_length=2048)
    scopes: list[ScopeName] | None = Field(
        None,
        min_length=1,
        max_length=40,
        description=(
            "The Xero scopes to ask for instead of the default set (XERO_SCOPES), as a list "
            'of names, e.g. ["accounting.invoices", "accounting.payments"]: the complete set '
            "for this consent, so fewer for least privilege, or the current ones plus the one "
            "a 403 xero_scope_missing named. openid, profile, email and offline_access are "
            "always added; an unknown name is a 400 naming it."
        ),
    )


class ConnectionOut(BaseModel):
    tenant_id: str
    tenant_name: str | None
    tenant_type: str | None
    kind: str = Field(description="`oauth` (a person consented) or `custom` (client credentials)")
    status: str = Field(description="`active` or `needs_reconnect`")
    scopes: list[str] = Field(description="The scopes Xero granted")
    missing_scopes: list[str] = Field(
        description="Scopes the product asks for that this connection lacks: reconnect to add"
    )
    access_token_expires_at: str | None
    refresh_token_age_days: int | None
    connected_by: str | None
    connected_at: str | None


class ConnectionList(BaseModel):
    connections: list[ConnectionOut] = Field(description="Sorted by name")


def _redirect_uri() -> str:
    """XERO_REDIRECT_URI, or this API's own /xero/callback (the domain API Gateway reports)."""
    configured = get_settings().xero_redirect_uri
    if configured:
        return configured
    event = app.current_event
    domain = event.request_context.domain_name
    # API Gateway is HTTPS only; the local gateway of `make dev` is plain HTTP on loopback.
    local = domain.split(":")[0] in ("127.0.0.1", "localhost")
    default = "http" if local else "https"
    scheme = (event.headers or {}).get("x-forwarded-proto", default).split(",")[0].strip()
    return f"{scheme}://{domain}/xero/callback"


@app.post("/xero/connect")
def connect(request: Annotated[ConnectRequest | None, Body()] = None) -> dict[str, Any]:
    principal = caller(app)
    if not principal.has_scope(CONNECT_SCOPE):
        raise ForbiddenError(f"connecting Xero needs the {CONNECT_SCOPE} scope")
    started = start_connect(
        principal.sub,
        request.return_to if request else None,
        _redirect_uri(),
        scopes=request.scopes if request else None,
    )
    return {"authorize_url": started.authorize_url, "expires_at": started.expires_at}


def _caller_sub() -> str | None:
    """The Okta user of a callback that carries a token (else the state alone binds it)."""
    header = (app.current_event.headers or {}).get("authorization")
    if not header:
        return None
    from xero_bridge.auth.okta_tokens import bearer_token, get_validator

    return get_validator().validate(bearer_token(header)).sub


def _wants_html() -> bool:
    return "text/html" in (app.current_event.headers or {}).get("accept", "")


def _page(status: int, title: str, text: str) -> Response[str]:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>"
        f"{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(text)}</p></body></html>"
    )
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body)


def _back_to(result: ConnectResult) -> str:
    assert result.return_to is not None
    parts = urlsplit(result.return_to)
    extra = urlencode({"xero": "connected", "tenants": len(result.tenants)})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


# Xero redirects the browser here: the answer is for a person (HTML) or a script (JSON).
CALLBACK_ANSWERS: dict[int, OpenAPIResponse] = {
    200: {
        "description": "Connected: the tenants (JSON), or a page saying so (HTML)",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    302: {"description": "Connected: back to `return_to` with `?xero=connected&tenants=N`"},
    **{
        status: {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {
                "application/json": {"model": ErrorBody},
                "text/html": {"schema": {"type": "string"}},
            },
        }
        for status in (400, 403, 409, 502, 503)
    },
}


@app.get("/xero/callback", responses=CALLBACK_ANSWERS)
def callback() -> Response[str]:
    params = app.current_event.query_string_parameters or {}
    try:
        result = complete_connect(
            state=params.get("state"),
            code=params.get("code"),
            error=params.get("error"),
            caller_sub=_caller_sub(),
        )
    except XeroBridgeError as exc:
        if not _wants_html():
            raise
        error = log_error(exc)
        return _page(error.status, "Xero was not connected", error.message)
    except Exception as exc:
        if not _wants_html():
            raise
        error = log_error(as_bridge_error(exc))
        return _page(error.status, "Xero was not connected", "Something went wrong.")
    if result.return_to:
        return Response(
            status_code=302,
            content_type="text/plain",
            body="",
            headers={"Location": _back_to(result), "Cache-Control": "no-store"},
        )
    body = {"connected": [tenant.model_dump() for tenant in result.tenants]}
    if _wants_html():
        names = ", ".join(t.tenant_name or t.tenant_id for t in result.tenants) or "nothing"
        return _page(200, "Xero connected", f"Connected: {names}. You can close this window.")
    return Response(status_code=200, content_type="application/json", body=dumps(body))


@app.get(
    "/xero/connections",
    responses=responses({200: (ConnectionList, "The organisations this user may reach")}),
)
def connections() -> dict[str, Any]:
    principal = caller(app)
    return {"connections": list_connections(principal.sub)}


@app.delete(
    "/xero/connections/<tenantId>",
    responses={204: {"description": "Disconnected"}, **error_responses(404, 502)},
)
def remove(tenantId: TenantId) -> Response[str]:
    principal = caller(app)
    disconnect(principal.sub, principal.is_admin, tenantId)
    return Response(status_code=204, content_type="application/json", body="")


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
