"""Billing request flows: GoCardless's hosted pages for a billing request. Creating one gives
an `authorisation_url` (here the simulator's own plain HTML form); the payer's submission
completes the billing request's actions, as the payer, and fulfils it when `auto_fulfil`."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from ..context import Sim
from ..errors import FieldErrors, invalid_state
from ..ids import new_id
from ..store import Record
from ..validation import links
from ..wire import iso
from .billing import (
    authorise_bank,
    collect_bank_account,
    collect_customer_details,
    confirm_payer_details,
    require_open,
)
from .fulfilment import fulfil

FLAGS = (
    "lock_bank_account",
    "lock_currency",
    "lock_customer_details",
    "show_redirect_buttons",
    "show_success_redirect_button",
    "skip_success_screen",
    "customer_details_captured",
)
PAGE_PATH = "/billing/static/flow"
CUSTOMER_FORM = ("given_name", "family_name", "company_name", "email")
BILLING_FORM = ("address_line1", "city", "postal_code", "country_code")
BANK_FORM = {
    "sepa_core": ("account_holder_name", "iban"),
    "bacs": ("account_holder_name", "account_number", "branch_code"),
}


def _uri(errors: FieldErrors, data: Record, name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors.add(name, "must be an absolute http(s) URL")
    return str(value)


def create_flow(sim: Sim, data: Record) -> Record:
    errors = FieldErrors("billing_request_flows")
    request_id = links(data).get("billing_request")
    if not request_id:
        errors.add("links.billing_request", "is required")
    redirect_uri, exit_uri = _uri(errors, data, "redirect_uri"), _uri(errors, data, "exit_uri")
    for name in (*FLAGS, "auto_fulfil"):
        if name in data and not isinstance(data[name], bool):
            errors.add(name, "must be true or false")
    prefilled = data.get("prefilled_customer") or {}
    if not isinstance(prefilled, dict):
        errors.add("prefilled_customer", "must be an object")
        prefilled = {}
    errors.raise_if_any()
    request = sim.store.require("billing_requests", request_id)
    require_open(request)
    now = sim.clock.now()
    flow_id = new_id("billing_request_flows")
    flow: Record = {
        "id": flow_id,
        "created_at": iso(now),
        "authorisation_url": f"{sim.url}{PAGE_PATH}?id={flow_id}",
        "auto_fulfil": data.get("auto_fulfil", True),
        "redirect_uri": redirect_uri,
        "exit_uri": exit_uri,
        "expires_at": iso(now + sim.config.flow_ttl),
        "language": data.get("language") or "en",
        **{name: bool(data.get(name, False)) for name in FLAGS},
        "prefilled_customer": dict(prefilled),
        "prefilled_bank_account": data.get("prefilled_bank_account") or {},
        "session_token": "sesh_" + secrets.token_urlsafe(16),
        "links": {"billing_request": request["id"]},
        "_created": now,
        "_expires": now + sim.config.flow_ttl,
    }
    sim.store.add("billing_request_flows", flow)
    sim.events.record("billing_requests", "flow_created", request, now, origin="api")
    return flow


def open_flow(sim: Sim, flow: Record) -> Record:
    """The billing request behind a flow the payer may still use."""
    if sim.clock.now() >= flow["_expires"]:
        raise invalid_state("billing_request_flow_expired", "This payment link has expired")
    request = sim.store.require("billing_requests", flow["links"]["billing_request"])
    require_open(request)
    return request


def visit(sim: Sim, flow: Record) -> Record:
    request = open_flow(sim, flow)
    sim.events.record("billing_requests", "flow_visited", request, sim.clock.now(), origin="payer")
    return request


def _done(request: Record, kind: str) -> bool:
    return any(a["type"] == kind and a["status"] == "completed" for a in request["actions"])


def submit(sim: Sim, flow: Record, form: dict[str, str]) -> Record:
    """What the payer's "Confirm" does: their details, bank account, confirmation, (bank
    authorisation), then fulfilment if the flow auto-fulfils."""
    request = open_flow(sim, flow)
    given = {name: value.strip() for name, value in form.items() if value and value.strip()}
    locked = flow["lock_customer_details"] and _done(request, "collect_customer_details")
    if not locked:
        details = {
            "customer": {k: given[k] for k in CUSTOMER_FORM if k in given},
            "customer_billing_detail": {k: given[k] for k in BILLING_FORM if k in given},
        }
        collect_customer_details(sim, request, details, origin="payer")
    if request["mandate_request"]:
        if not (flow["lock_bank_account"] and _done(request, "collect_bank_account")):
            scheme = request["mandate_request"]["scheme"]
            bank = {k: given[k] for k in BANK_FORM[scheme] if k in given}
            if scheme == "bacs":
                bank["country_code"] = "GB"
            if "account_holder_name" not in bank:
                # The hosted page fills the holder in from the payer's name.
                customer = sim.store.require("customers", request["links"]["customer"])
                names = [customer.get("given_name"), customer.get("family_name")]
                holder = " ".join(filter(None, names)) or customer.get("company_name")
                if holder:
                    bank["account_holder_name"] = holder
            collect_bank_account(sim, request, bank, origin="payer")
        confirm_payer_details(sim, request, origin="payer")
    elif request["payment_request"]:
        authorise_bank(sim, request)
    if flow["auto_fulfil"]:
        fulfil(sim, request, origin="gocardless")
    return request
