"""The payer's page behind a flow's `authorisation_url`: a plain HTML form (name, e-mail,
address, bank details) that a person or a script can submit. Submitting it completes the
billing request as the payer would on GoCardless's hosted pages, then redirects to the
flow's `redirect_uri`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, redirect, render_template_string, request

from .context import Sim
from .domain import billing
from .domain.flows import PAGE_PATH, open_flow, submit, visit
from .errors import ApiError
from .store import Record

if TYPE_CHECKING:
    from .server import GoCardlessSimulator

# GoCardless's sandbox test bank details, so that a demo needs only a name.
TEST_BANK = {
    "sepa_core": {"iban": "DE89370400440532013000"},
    "bacs": {"account_number": "55779911", "branch_code": "200000"},
}
LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "company_name": "Company name (optional)",
    "email": "Email",
    "address_line1": "Address",
    "city": "City",
    "postal_code": "Postal code",
    "country_code": "Country code",
    "account_holder_name": "Account holder name",
    "iban": "IBAN",
    "account_number": "Account number",
    "branch_code": "Sort code",
}
TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GoCardless (simulator)</title></head>
<body>
<h1>{{ heading }}</h1>
{% if message %}<p id="message">{{ message }}</p>{% endif %}
{% if errors %}<ul id="errors">{% for e in errors %}<li>{{ e }}</li>{% endfor %}</ul>{% endif %}
{% if fields %}
<form method="post" action="{{ action }}">
  <input type="hidden" name="id" value="{{ flow_id }}">
  {% for name, label, value in fields %}
  <p><label for="{{ name }}">{{ label }}</label>
     <input id="{{ name }}" name="{{ name }}" value="{{ value }}"></p>
  {% endfor %}
  <p><button type="submit">{{ button }}</button></p>
</form>
{% if exit_uri %}<p><a href="{{ exit_uri }}">Cancel and go back</a></p>{% endif %}
{% endif %}
</body></html>
"""


def _html(status: int = 200, **context: Any) -> Response:
    context.setdefault("fields", None)
    body = render_template_string(TEMPLATE, **context)
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def _fields(sim: GoCardlessSimulator, flow: Record, request_: Record, form: dict[str, str]) -> list:
    customer = sim.store.require("customers", request_["links"]["customer"])
    prefilled = flow["prefilled_customer"]
    names = ["given_name", "family_name", "company_name", "email"]
    scheme = billing.scheme_of(request_)
    if scheme == "sepa_core":
        names += ["address_line1", "city", "postal_code", "country_code"]
    bank: dict[str, str] = {}
    if request_["mandate_request"]:
        names += ["account_holder_name", *TEST_BANK[scheme]]
        holder = " ".join(filter(None, [customer.get("given_name"), customer.get("family_name")]))
        bank = {"account_holder_name": holder, **TEST_BANK[scheme]}

    def value(name: str) -> str:
        found = form.get(name) or customer.get(name) or prefilled.get(name) or bank.get(name)
        return str(found or "")

    return [(name, LABELS[name], value(name)) for name in names]


def _form_page(
    sim: GoCardlessSimulator, flow: Record, form: dict[str, str], errors: list[str], status: int
) -> Response:
    request_ = sim.store.require("billing_requests", flow["links"]["billing_request"])
    mandate = request_["mandate_request"]
    return _html(
        status,
        heading="Set up a Direct Debit" if mandate else "Pay by bank",
        message=(mandate or request_["payment_request"] or {}).get("description"),
        errors=errors,
        fields=_fields(sim, flow, request_, form),
        flow_id=flow["id"],
        action=PAGE_PATH,
        button="Confirm" if mandate else "Pay",
        exit_uri=flow["exit_uri"],
    )


def _messages(error: ApiError) -> list[str]:
    return [f"{e['field']} {e['message']}" if "field" in e else e["message"] for e in error.errors]


def create_page_blueprint(sim: GoCardlessSimulator) -> Blueprint:
    bp = Blueprint("page", __name__)

    def open_link(flow_id: str | None, enter: Callable[[Sim, Record], object]) -> Record | Response:
        """The flow behind the link, entered with `enter`; or the page saying why the link
        is no good (unknown, or expired or used up)."""
        flow = sim.store.get("billing_request_flows", flow_id)
        if flow is None:
            return _html(404, heading="This link is not valid")
        try:
            enter(sim, flow)
        except ApiError as exc:
            return _html(410, heading="This link can no longer be used", message=exc.message)
        return flow

    @bp.get(PAGE_PATH)
    def show() -> Response:
        flow = open_link(request.args.get("id"), visit)
        if isinstance(flow, Response):
            return flow
        return _form_page(sim, flow, {}, [], 200)

    @bp.post(PAGE_PATH)
    def confirm() -> Response:
        form = {k: v for k, v in request.form.items()}
        flow = open_link(form.pop("id", None) or request.args.get("id"), open_flow)
        if isinstance(flow, Response):
            return flow
        try:
            done = submit(sim, flow, form)
        except ApiError as exc:
            return _form_page(sim, flow, form, _messages(exc), 422)
        if flow["redirect_uri"]:
            return redirect(flow["redirect_uri"], code=303)  # type: ignore[return-value]
        mandate = done["links"].get("mandate_request_mandate")
        return _html(
            heading="All done",
            message=f"Your Direct Debit is set up (mandate {mandate})." if mandate else "Paid.",
        )

    return bp
