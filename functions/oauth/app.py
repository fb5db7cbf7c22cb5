"""Connecting Xero: POST /xero/connect, GET /xero/callback, GET·DELETE /xero/connections."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from callback_answers import CALLBACK_ANSWERS, back_to, page, wants_html
from connect_models import ConnectionList, ConnectRequest

from xero_bridge.connections.disconnect import disconnect
from xero_bridge.connections.flow import complete_connect, start_connect
from xero_bridge.connections.listing import list_connections
from xero_bridge.errors import ForbiddenError, XeroBridgeError, as_bridge_error
from xero_bridge.http.origin import api_origin
from xero_bridge.http.request import TenantId, caller
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import error_responses, responses
from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.responses import dumps, log_error
from xero_bridge.settings import get_settings

app = HttpApi()

CONNECT_SCOPE = "xero:connect"


def _redirect_uri() -> str:
    """XERO_REDIRECT_URI, or this API's own /xero/callback."""
    return get_settings().xero_redirect_uri or f"{api_origin(app.current_event)}/xero/callback"


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
        if not wants_html(app.current_event):
            raise
        error = log_error(exc)
        return page(error.status, "Xero was not connected", error.message)
    except Exception as exc:
        if not wants_html(app.current_event):
            raise
        error = log_error(as_bridge_error(exc))
        return page(error.status, "Xero was not connected", "Something went wrong.")
    if result.return_to:
        return Response(
            status_code=302,
            content_type="text/plain",
            body="",
            headers={"Location": back_to(result), "Cache-Control": "no-store"},
        )
    body = {"connected": [tenant.model_dump() for tenant in result.tenants]}
    if wants_html(app.current_event):
        names = ", ".join(t.tenant_name or t.tenant_id for t in result.tenants) or "nothing"
        return page(200, "Xero connected", f"Connected: {names}. You can close this window.")
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
