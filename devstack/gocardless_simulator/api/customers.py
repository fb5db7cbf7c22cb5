"""/customers and /customer_bank_accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from ..domain.customers import create_bank_account, create_customer, customer_fields
from ..errors import FieldErrors, invalid_state
from ..validation import envelope
from ..wire import exact_filters
from .common import ResourceRoutes, action_data, answer, body

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator


def create_customers_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("customers", __name__)
    customers = ResourceRoutes(bp, sim, "customers")
    customers.standard(exact_filters(fields=("email",)), create=create_customer)
    accounts = ResourceRoutes(bp, sim, "customer_bank_accounts")
    enabled = {"enabled": lambda r: str(r["enabled"]).lower()}
    accounts.standard({**exact_filters(links=("customer",)), **enabled}, create=create_bank_account)

    @bp.put("/customers/<customer_id>")
    def update(customer_id: str) -> Response:
        customer = sim.store.require("customers", customer_id)
        errors = FieldErrors("customers")
        fields = customer_fields(errors, envelope(body(), "customers"))
        errors.raise_if_any()
        customer.update(fields)
        return answer("customers", customer)

    @bp.post("/customer_bank_accounts/<account_id>/actions/disable")
    def disable(account_id: str) -> Response:
        record = sim.store.require("customer_bank_accounts", account_id)
        action_data()
        if not record["enabled"]:
            raise invalid_state("disable_failed", "The bank account is already disabled")
        record["enabled"] = False
        return answer("customer_bank_accounts", record)

    return bp
