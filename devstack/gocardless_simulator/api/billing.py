"""/billing_requests (with their actions) and /billing_request_flows."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..domain import billing
from ..domain.flows import create_flow, open_flow
from ..domain.fulfilment import cancel, fulfil
from ..store import Record
from ..validation import envelope
from ..wire import exact_filters
from .common import ResourceRoutes, action_data, answer, body

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator

STATUSES = ("pending", "ready_to_fulfil", "fulfilling", "fulfilled", "cancelled")
KIND = "billing_requests"


def create_billing_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("billing", __name__)

    def load(request_id: str) -> Record:
        request = sim.store.require(KIND, request_id)
        billing.refresh(sim, request)
        return request

    requests = ResourceRoutes(bp, sim, KIND, load)
    filters = exact_filters(fields=("status",), links=("customer",))
    requests.standard(filters, {"status": STATUSES}, create=billing.create_billing_request)
    requests.cancel(cancel)

    @bp.post("/billing_requests/<request_id>/actions/collect_customer_details")
    def collect_customer_details(request_id: str) -> Response:
        request = load(request_id)
        return answer(
            KIND, billing.collect_customer_details(sim, request, action_data(), origin="api")
        )

    @bp.post("/billing_requests/<request_id>/actions/collect_bank_account")
    def collect_bank_account(request_id: str) -> Response:
        request = load(request_id)
        return answer(KIND, billing.collect_bank_account(sim, request, action_data(), origin="api"))

    @bp.post("/billing_requests/<request_id>/actions/confirm_payer_details")
    def confirm_payer_details(request_id: str) -> Response:
        request = load(request_id)
        action_data()
        return answer(KIND, billing.confirm_payer_details(sim, request, origin="api"))

    @bp.post("/billing_requests/<request_id>/actions/fulfil")
    def fulfil_request(request_id: str) -> Response:
        request = load(request_id)
        action_data()
        return answer(KIND, fulfil(sim, request, origin="api"))

    return bp


def create_flows_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("flows", __name__)

    @bp.post("/billing_request_flows")
    def create_flow_route() -> Response:
        data = envelope(body(), "billing_request_flows")
        return answer("billing_request_flows", create_flow(sim, data), 201)

    @bp.post("/billing_request_flows/<flow_id>/actions/initialise")
    def initialise(flow_id: str) -> Response:
        flow = sim.store.require("billing_request_flows", flow_id)
        action_data()
        open_flow(sim, flow)
        flow["session_token"] = "sesh_" + secrets.token_urlsafe(16)
        return answer("billing_request_flows", flow)

    return bp
