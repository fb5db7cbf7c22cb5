"""/billing_requests (with their actions) and /billing_request_flows."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..domain import billing
from ..domain.flows import create_flow, open_flow
from ..domain.fulfilment import cancel, fulfil
from ..errors import FieldErrors
from ..validation import envelope, metadata
from ..wire import field, link
from .common import action_data, answer, body, create_once, list_answer

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator

STATUSES = ("pending", "ready_to_fulfil", "fulfilling", "fulfilled", "cancelled")
KIND = "billing_requests"


def create_billing_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("billing", __name__)

    def load(request_id: str) -> dict:
        request = sim.store.require(KIND, request_id)
        billing.refresh(sim, request)
        return request

    @bp.post("/billing_requests")
    def create() -> Response:
        data = envelope(body(), KIND)
        return create_once(sim, KIND, lambda: billing.create_billing_request(sim, data))

    @bp.get("/billing_requests")
    def index() -> Response:
        filters = {"customer": link("customer"), "status": field("status")}
        return list_answer(sim, KIND, filters, {"status": STATUSES})

    @bp.get("/billing_requests/<request_id>")
    def show(request_id: str) -> Response:
        return answer(KIND, load(request_id))

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

    @bp.post("/billing_requests/<request_id>/actions/cancel")
    def cancel_request(request_id: str) -> Response:
        request = load(request_id)
        errors = FieldErrors("data")
        meta = metadata(errors, action_data())
        errors.raise_if_any()
        return answer(KIND, cancel(sim, request, meta))

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
