"""/v1 routes for the account (balance, bookings) and Verification of Payee."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from . import vop
from .errors import invalid_model
from .inputs import check_account, json_body
from .models import Booking
from .wire import json_response, money

if TYPE_CHECKING:
    from .bank import Bank
    from .server import SolarisSimulator

MAX_PAGE_SIZE = 1000
SORTS = ("booking_date", "valuta_date", "recorded_at", "id")


def balance_body(bank: Bank) -> dict[str, Any]:
    """Solaris's balance answer: posted bookings, and what is left after reservations, read
    together."""
    with bank.lock:
        return {"balance": money(bank.balance()), "available_balance": money(bank.available())}


def create_accounts_blueprint(sim: SolarisSimulator) -> Blueprint:
    bp = Blueprint("solaris_accounts", __name__, url_prefix="/v1")

    @bp.get("/accounts/<account_id>/balance")
    def balance(account_id: str) -> Response:
        check_account(sim.config, account_id)
        return json_response(balance_body(sim.bank))

    @bp.get("/accounts/<account_id>/bookings")
    def bookings(account_id: str) -> Response:
        check_account(sim.config, account_id)
        number, size = _page()
        with sim.bank.lock:
            found = _filtered(sim.bank.bookings, account_id)
            page = found[(number - 1) * size : number * size]
            rendered = [b.render() for b in page]
        headers = {"Total": str(len(found)), "Per-Page": str(size)}
        return json_response(rendered, 200, headers)

    @bp.post("/verifications_of_payee")
    def verify() -> Response:
        iban, name = vop.parse_request(json_body())
        return json_response(sim.bank.verify(iban, name).render(), 201)

    @bp.get("/verifications_of_payee/<verification_id>")
    def show_verification(verification_id: str) -> Response:
        with sim.bank.lock:
            return json_response(sim.bank.verification(verification_id).render())

    return bp


def _page() -> tuple[int, int]:
    number = _positive("page[number]", request.args.get("page[number]", "1"))
    size = _positive("page[size]", request.args.get("page[size]", "10"))
    if size > MAX_PAGE_SIZE:
        raise invalid_model("page[size]", f"must be at most {MAX_PAGE_SIZE}")
    return number, size


def _positive(name: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise invalid_model(name, "must be a positive integer")
    return int(value)


def _filtered(bookings: list[Booking], account_id: str) -> list[Booking]:
    filters: dict[str, Any] = {
        "transaction_id": request.args.get("filter[transaction_id]"),
        "booking_type": request.args.get("filter[booking_type]"),
        "id": request.args.get("filter[id]"),
    }
    found = [b for b in bookings if b.account_id == account_id]
    for key, wanted in filters.items():
        if wanted is not None:
            found = [b for b in found if b.render()[key] == wanted]
    sort = request.args.get("sort", "recorded_at")
    key = sort.removeprefix("-")
    if key not in SORTS:
        raise invalid_model("sort", f"is not included in the list {SORTS}")
    return sorted(
        found, key=lambda b: (b.render()[key], b.recorded_at), reverse=sort.startswith("-")
    )
