"""/customers and /customer_bank_accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..domain.customers import create_bank_account, create_customer, customer_fields
from ..errors import FieldErrors, invalid_state
from ..validation import envelope
from ..wire import field, link
from .common import action_data, answer, body, create_once, list_answer

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator


def create_customers_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("customers", __name__)

    @bp.post("/customers")
    def create() -> Response:
        data = envelope(body(), "customers")
        return create_once(sim, "customers", lambda: create_customer(sim, data))

    @bp.get("/customers")
    def index() -> Response:
        return list_answer(sim, "customers", {"email": field("email")})

    @bp.get("/customers/<customer_id>")
    def show(customer_id: str) -> Response:
        return answer("customers", sim.store.require("customers", customer_id))

    @bp.put("/customers/<customer_id>")
    def update(customer_id: str) -> Response:
        customer = sim.store.require("customers", customer_id)
        errors = FieldErrors("customers")
        fields = customer_fields(errors, envelope(body(), "customers"))
        errors.raise_if_any()
        customer.update(fields)
        return answer("customers", customer)

    @bp.post("/customer_bank_accounts")
    def create_account() -> Response:
        data = envelope(body(), "customer_bank_accounts")
        return create_once(sim, "customer_bank_accounts", lambda: create_bank_account(sim, data))

    @bp.get("/customer_bank_accounts")
    def accounts() -> Response:
        enabled = {"enabled": lambda r: str(r["enabled"]).lower()}
        return list_answer(sim, "customer_bank_accounts", {"customer": link("customer"), **enabled})

    @bp.get("/customer_bank_accounts/<account_id>")
    def account(account_id: str) -> Response:
        return answer(
            "customer_bank_accounts", sim.store.require("customer_bank_accounts", account_id)
        )

    @bp.post("/customer_bank_accounts/<account_id>/actions/disable")
    def disable(account_id: str) -> Response:
        record = sim.store.require("customer_bank_accounts", account_id)
        action_data()
        if not record["enabled"]:
            raise invalid_state("disable_failed", "The bank account is already disabled")
        record["enabled"] = False
        return answer("customer_bank_accounts", record)

    return bp
