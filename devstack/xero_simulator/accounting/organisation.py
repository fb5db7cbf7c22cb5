"""GET /Organisation, GET /Currencies and GET /TaxRates."""

from __future__ import annotations

from flask import Blueprint, Response

from ..context import SimContext
from ..problems import json_response
from . import currency
from .common import current_book, list_response, plain


def register(bp: Blueprint, sim: SimContext) -> None:
    @bp.get("/Organisation")
    def organisation() -> Response:
        book = current_book(sim)
        return json_response({"Organisations": [book.organisation]})

    @bp.get("/Currencies")
    def currencies() -> Response:
        return json_response({"Currencies": currency.currencies(current_book(sim))})

    @bp.get("/TaxRates")
    def tax_rates() -> Response:
        return list_response(sim, "TaxRates", plain)
