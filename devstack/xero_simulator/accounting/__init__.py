"""The Accounting API subset under /api.xro/2.0, behind the gate."""

from __future__ import annotations

from flask import Blueprint, Response

from ..context import SimContext
from ..gate import admit_tenant_call, finish_tenant_call, release_slot
from ..problems import NotFound, ValidationFailed, not_found, validation_error
from . import (
    accounts,
    attachments,
    bank_transactions,
    contacts,
    credit_notes,
    history,
    invoices,
    items,
    organisation,
    payments,
    tracking,
)

API_PREFIX = "/api.xro/2.0"


def create_accounting_blueprint(sim: SimContext) -> Blueprint:
    bp = Blueprint("accounting", __name__, url_prefix=API_PREFIX)
    bp.before_request(lambda: admit_tenant_call(sim))
    bp.after_request(lambda response: finish_tenant_call(sim, response))
    bp.teardown_request(lambda _exc: release_slot(sim))

    @bp.errorhandler(ValidationFailed)
    def on_validation(failure: ValidationFailed) -> Response:
        return validation_error([failure.as_element()])

    @bp.errorhandler(NotFound)
    def on_not_found(_missing: NotFound) -> Response:
        return not_found()

    for module in (
        organisation,
        accounts,
        contacts,
        items,
        invoices,
        payments,
        bank_transactions,
        credit_notes,
        history,
        attachments,
        tracking,
    ):
        module.register(bp, sim)
    return bp
