"""/v1 routes for SEPA credit transfers and the change requests that authorise them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from . import change_requests
from .inputs import check_account, check_person, json_body
from .validation import parse_transfer
from .wire import json_response

if TYPE_CHECKING:
    from .server import SolarisSimulator

SCT = "transactions/sepa_credit_transfer"


def create_transfers_blueprint(sim: SolarisSimulator) -> Blueprint:
    bp = Blueprint("solaris_transfers", __name__, url_prefix="/v1")

    @bp.post(f"/persons/<person_id>/accounts/<account_id>/{SCT}")
    def create_person_transfer(person_id: str, account_id: str) -> Response:
        check_person(sim.config, person_id, account_id)
        # The person route needs a reference; change requests are its default (Solaris docs).
        transfer = parse_transfer(json_body(), reference_required=True, change_request_default=True)
        status, body = sim.bank.submit(account_id, person_id, transfer)
        return json_response(body, status)

    @bp.post(f"/accounts/<account_id>/{SCT}")
    def create_account_transfer(account_id: str) -> Response:
        check_account(sim.config, account_id)
        # A billing account's transfer needs no second factor unless asked for one.
        body = json_body()
        transfer = parse_transfer(body, reference_required=False, change_request_default=False)
        status, answer = sim.bank.submit(account_id, sim.config.person_id, transfer)
        return json_response(answer, status)

    @bp.get(f"/persons/<person_id>/accounts/<account_id>/{SCT}/<transfer_id>")
    def show_person_transfer(person_id: str, account_id: str, transfer_id: str) -> Response:
        check_person(sim.config, person_id, account_id)
        with sim.bank.lock:
            return json_response(sim.bank.transfer(account_id, transfer_id).render())

    @bp.get(f"/accounts/<account_id>/{SCT}/<transfer_id>")
    def show_account_transfer(account_id: str, transfer_id: str) -> Response:
        check_account(sim.config, account_id)
        with sim.bank.lock:
            return json_response(sim.bank.transfer(account_id, transfer_id).render())

    @bp.get("/change_requests/<change_request_id>")
    def show_change_request(change_request_id: str) -> Response:
        return json_response(change_requests.show(sim.bank, change_request_id))

    @bp.post("/change_requests/<change_request_id>/authorize")
    def authorize(change_request_id: str) -> Response:
        body = change_requests.authorize(sim.bank, change_request_id, json_body())
        return json_response(body, 201)

    @bp.post("/change_requests/<change_request_id>/confirm")
    def confirm(change_request_id: str) -> Response:
        return json_response(change_requests.confirm(sim.bank, change_request_id, json_body()))

    return bp
