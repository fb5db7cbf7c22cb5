"""POST /tenants/{tenantId}/xero/raw: an administrator's request to any path under Xero's
Accounting API, through the same client, budget and fences as every other call."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from xero_bridge.http.answers import json_answer
from xero_bridge.http.request import TenantId, caller
from xero_bridge.http.schemas import error_responses
from xero_bridge.records import models as m
from xero_bridge.records import raw

router = Router()


@router.post("/tenants/<tenantId>/xero/raw", responses=error_responses(404))
def raw_request(tenantId: TenantId, body: Annotated[m.RawRequest, Body()]) -> Response[Any]:
    # Admin only, and still the tenant check: an administrator needs a grant to the tenant.
    caller(router, tenantId, admin=True)
    return json_answer(200, raw.raw_request(tenantId, body))
