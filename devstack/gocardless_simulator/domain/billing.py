"""Billing requests: what the payer must do (actions) before GoCardless creates the mandate
and/or payment asked for (fulfil). The API and the authorisation page both act through here,
so an event's origin says who acted: "api" (the integrator) or "payer" (the page)."""

from __future__ import annotations

from ..context import Sim
from ..errors import ApiError, FieldErrors, invalid_state
from ..ids import new_id
from ..schemes import SCHEME_FOR_CURRENCY, bank_details
from ..store import Record
from ..validation import amount, links, metadata, text
from ..wire import new_resource, public
from .customers import ADDRESS_FIELDS, blank_customer, create_bank_account, customer_fields

OPEN = ("pending", "ready_to_fulfil")
INSTANT_SCHEMES = {"EUR": "sepa_credit_transfer", "GBP": "faster_payments"}
VERIFY = ("minimum", "recommended", "when_available", "always")


def _currency(errors: FieldErrors, data: Record, path: str) -> str | None:
    currency = data.get("currency")
    if currency is None:
        errors.add(f"{path}.currency", "is required")
    elif currency not in SCHEME_FOR_CURRENCY:
        errors.add(f"{path}.currency", "is not supported by this creditor")
        return None
    return currency


def _mandate_request(errors: FieldErrors, data: Record) -> Record:
    currency = _currency(errors, data, "mandate_request")
    scheme = data.get("scheme")
    if currency and scheme is not None and scheme != SCHEME_FOR_CURRENCY[currency].name:
        errors.add("mandate_request.scheme", f"is not available for {currency}")
    verify = data.get("verify", "recommended")
    if verify not in VERIFY:
        errors.add("mandate_request.verify", "is invalid")
    return {
        "currency": currency,
        "scheme": SCHEME_FOR_CURRENCY[currency].name if currency else scheme,
        "description": text(errors, data, "description"),
        "verify": verify,
        "metadata": metadata(errors, data, "mandate_request.metadata"),
        "authorisation_source": None,
        "constraints": None,
        "links": {},
    }


def _payment_request(errors: FieldErrors, data: Record) -> Record:
    currency = _currency(errors, data, "payment_request")
    return {
        "amount": amount(errors, data, path="payment_request.amount"),
        "currency": currency,
        "description": text(errors, data, "description"),
        "scheme": INSTANT_SCHEMES.get(currency or ""),
        "metadata": metadata(errors, data, "payment_request.metadata"),
        "app_fee": None,
        "links": {},
    }


def _actions(mandate_request: Record | None, payment_request: Record | None) -> list[Record]:
    def action(kind: str, requires: list[str], **extra: object) -> Record:
        return {
            "type": kind,
            "required": True,
            "completes_actions": [],
            "requires_actions": requires,
            "status": "pending",
            **extra,
        }

    actions = [action("collect_customer_details", [], collect_customer_details={})]
    if mandate_request:
        actions.append(action("collect_bank_account", []))
        actions.append(
            action("confirm_payer_details", ["collect_customer_details", "collect_bank_account"])
        )
    if payment_request and not mandate_request:
        # Alone, a payment request is an Instant Bank Payment the payer approves at their bank.
        actions.append(
            action(
                "bank_authorisation",
                ["collect_customer_details"],
                bank_authorisation={
                    "adapter": "open_banking_gateway_pis",
                    "authorisation_type": "single_payment",
                    "requires_institution": False,
                },
            )
        )
    return actions


def scheme_of(request: Record) -> str:
    chosen = request["mandate_request"] or request["payment_request"]
    return SCHEME_FOR_CURRENCY[chosen["currency"]].name


def incomplete_fields(request: Record, customer: Record) -> dict[str, list[str]]:
    """What the scheme still needs from the payer: a name and an e-mail address, and for
    SEPA a postal address."""
    missing = [f for f in ("email",) if not customer.get(f)]
    if not customer.get("company_name"):
        missing += [f for f in ("given_name", "family_name") if not customer.get(f)]
    needed = ("address_line1", "city", "postal_code", "country_code")
    billing = (
        [f for f in needed if not customer.get(f)] if scheme_of(request) == "sepa_core" else []
    )
    return {"customer": missing, "customer_billing_detail": billing}


def _action(request: Record, kind: str) -> Record | None:
    return next((a for a in request["actions"] if a["type"] == kind), None)


def refresh(sim: Sim, request: Record) -> None:
    """Recomputes the actions' state, the status and the embedded resources."""
    customer = sim.store.require("customers", request["links"]["customer"])
    details = _action(request, "collect_customer_details")
    assert details is not None
    fields = incomplete_fields(request, customer)
    details["collect_customer_details"] = {
        "default_country_code": customer.get("country_code"),
        "incomplete_fields": fields,
    }
    if request["status"] in OPEN:
        required_done = all(a["status"] == "completed" for a in request["actions"] if a["required"])
        request["status"] = "ready_to_fulfil" if required_done else "pending"
    account = sim.store.get("customer_bank_accounts", request["links"].get("customer_bank_account"))
    billing = {name: customer.get(name) for name in (*ADDRESS_FIELDS, "country_code")}
    request["resources"] = {
        "customer": public(customer),
        "customer_bank_account": public(account) if account else None,
        "customer_billing_detail": {
            "id": request["links"]["customer_billing_detail"],
            "created_at": request["created_at"],
            **billing,
        },
    }


def _requests(errors: FieldErrors, data: Record) -> tuple[Record | None, Record | None]:
    """The mandate and payment asked for, checked."""
    mandate_data, payment_data = data.get("mandate_request"), data.get("payment_request")
    if mandate_data is None and payment_data is None:
        errors.add("mandate_request", "or payment_request must be provided")
    mandate_request = (
        _mandate_request(errors, mandate_data) if isinstance(mandate_data, dict) else None
    )
    payment_request = (
        _payment_request(errors, payment_data) if isinstance(payment_data, dict) else None
    )
    if mandate_request and payment_request:
        # With a mandate request, the payment is the new mandate's first Direct Debit.
        payment_request["scheme"] = mandate_request["scheme"]
        if mandate_request["currency"] != payment_request["currency"]:
            errors.add("payment_request.currency", "must match the mandate_request's currency")
    return mandate_request, payment_request


def _known_payer(sim: Sim, wanted: Record) -> tuple[Record, Record | None]:
    """The customer (and bank account) the integrator already has, or a new blank customer."""
    customer = (
        sim.store.require("customers", wanted["customer"]) if wanted.get("customer") else None
    )
    account = None
    if wanted.get("customer_bank_account"):
        account = sim.store.require("customer_bank_accounts", wanted["customer_bank_account"])
        if customer is None or account["links"]["customer"] != customer["id"]:
            errors = FieldErrors("billing_requests")
            errors.add("links.customer_bank_account", "must belong to links.customer")
            errors.raise_if_any()
    if customer is None:
        customer = sim.store.add("customers", blank_customer(sim))
    return customer, account


def create_billing_request(sim: Sim, data: Record) -> Record:
    errors = FieldErrors("billing_requests")
    mandate_request, payment_request = _requests(errors, data)
    meta = metadata(errors, data)
    errors.raise_if_any()
    customer, account = _known_payer(sim, links(data))
    now = sim.clock.now()
    request = new_resource(
        "billing_requests",
        now,
        {
            "status": "pending",
            "mandate_request": mandate_request,
            "payment_request": payment_request,
            "metadata": meta,
            "actions": _actions(mandate_request, payment_request),
            "fallback_enabled": False,
            "fallback_occurred": False,
            "purpose_code": None,
            "links": {
                "customer": customer["id"],
                "customer_billing_detail": new_id("customer_billing_details"),
                "creditor": sim.config.creditor_id,
                "organisation": sim.config.organisation_id,
                **({"mandate_request": new_id("mandate_requests")} if mandate_request else {}),
                **({"payment_request": new_id("payment_requests")} if payment_request else {}),
            },
        },
    )
    if account is not None:
        _attach_account(request, account)
    if not any(incomplete_fields(request, customer).values()):
        _complete(request, "collect_customer_details")
    refresh(sim, request)
    sim.store.add("billing_requests", request)
    sim.events.record("billing_requests", "created", request, now, origin="api")
    return request


def _complete(request: Record, kind: str) -> None:
    action = _action(request, kind)
    if action is not None:
        action["status"] = "completed"


def _attach_account(request: Record, account: Record) -> None:
    request["links"]["customer_bank_account"] = account["id"]
    _complete(request, "collect_bank_account")


def require_open(request: Record) -> None:
    if request["status"] not in OPEN:
        raise invalid_state(
            "billing_request_not_pending", f"This billing request is {request['status']}"
        )


def collect_customer_details(sim: Sim, request: Record, data: Record, origin: str) -> Record:
    require_open(request)
    errors = FieldErrors("data")
    customer_data = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    billing_data = data.get("customer_billing_detail")
    billing_data = billing_data if isinstance(billing_data, dict) else {}
    updates = customer_fields(errors, customer_data or {})
    updates.update(
        customer_fields(errors, {k: v for k, v in billing_data.items() if k != "metadata"})
    )
    errors.raise_if_any()
    customer = sim.store.require("customers", request["links"]["customer"])
    merged = {**customer, **{k: v for k, v in updates.items() if v is not None}}
    missing = incomplete_fields(request, merged)
    for name in missing["customer"]:
        errors.add(f"customer.{name}", "is required")
    for name in missing["customer_billing_detail"]:
        errors.add(f"customer_billing_detail.{name}", "is required")
    errors.raise_if_any()
    customer.update(merged)
    _complete(request, "collect_customer_details")
    refresh(sim, request)
    sim.events.record(
        "billing_requests", "collect_customer_details", request, sim.clock.now(), origin=origin
    )
    return request


def collect_bank_account(sim: Sim, request: Record, data: Record, origin: str) -> Record:
    require_open(request)
    if request["mandate_request"] is None:
        raise invalid_state("bank_account_not_required", "This billing request collects no mandate")
    errors = FieldErrors("data")
    checked = bank_details(errors, data)
    errors.raise_if_any()
    assert checked is not None
    if checked[0].name != request["mandate_request"]["scheme"]:
        errors.add(
            "iban" if request["mandate_request"]["scheme"] == "sepa_core" else "account_number",
            f"must be a {request['mandate_request']['scheme']} bank account",
        )
        errors.raise_if_any()
    customer_id = request["links"]["customer"]
    try:
        account = create_bank_account(sim, {**data, "links": {"customer": customer_id}}, "data")
    except ApiError as exc:
        if exc.errors[0].get("reason") != "bank_account_exists":
            raise
        account = sim.store.require(
            "customer_bank_accounts", exc.errors[0]["links"]["customer_bank_account"]
        )
    _attach_account(request, account)
    refresh(sim, request)
    sim.events.record(
        "billing_requests", "collect_bank_account", request, sim.clock.now(), origin=origin
    )
    return request


def confirm_payer_details(sim: Sim, request: Record, origin: str) -> Record:
    require_open(request)
    pending = [
        a["type"]
        for a in request["actions"]
        if a["type"] in ("collect_customer_details", "collect_bank_account")
        and a["status"] != "completed"
    ]
    if pending:
        raise invalid_state(
            "required_actions_not_completed", "Complete these actions first: " + ", ".join(pending)
        )
    _complete(request, "confirm_payer_details")
    refresh(sim, request)
    sim.events.record(
        "billing_requests", "payer_details_confirmed", request, sim.clock.now(), origin=origin
    )
    return request


def authorise_bank(sim: Sim, request: Record) -> Record:
    """The payer approved the instant payment at their bank (only the page can do this)."""
    require_open(request)
    _complete(request, "bank_authorisation")
    refresh(sim, request)
    sim.events.record(
        "billing_requests",
        "bank_authorisation_authorised",
        request,
        sim.clock.now(),
        origin="payer",
    )
    return request
