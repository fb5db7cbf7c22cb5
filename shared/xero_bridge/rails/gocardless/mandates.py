"""A customer's direct-debit mandate: asked for through a GoCardless billing request and its
hosted flow (the customer authorises it on GoCardless's page), then followed as GoCardless
tells us (`follow`: webhooks, after reading the billing request and mandate again).

- **ask** (POST …/contacts/{id}/mandate): the contact as Xero holds it fills in the page
  (name, e-mail, address: the customer only adds the bank details); a mandate that can be
  collected on, or an authorisation still open in the same currency, is answered as it is
  (nothing new at GoCardless); otherwise a new attempt — its billing request's and flow's
  Idempotency-Keys derived from (tenant, contact, attempt), so two people asking at once make
  one billing request. Our ids ride in the billing request's and the mandate's metadata.
- **status**: ``awaiting_authorisation`` until the customer has authorised it (then
  ``authorisation_expired`` once the page no longer works, ``authorisation_cancelled`` when
  the billing request was cancelled), then the mandate's own status at GoCardless.
- every change is an audit entry (subject ``<tenant>#mandate#<contact>``) and an event
  ``mandate.<status>`` on the bus.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from xero_bridge.errors import ConflictError, NotFoundError
from xero_bridge.payments import events
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import audit, mandates
from xero_bridge.persistence.mandates import MandateRecord
from xero_bridge.rails.errors import CurrencyNotSupportedError
from xero_bridge.rails.gocardless.api import GoCardlessApi, idempotency_key
from xero_bridge.rails.gocardless.models import MandateOut, MandateRequest
from xero_bridge.rails.gocardless.schemes import SCHEMES, USABLE

AWAITING = "awaiting_authorisation"
EXPIRED = "authorisation_expired"
CANCELLED = "authorisation_cancelled"
TENANT_KEY, CONTACT_KEY = "xb_tenant_id", "xb_contact_id"


def clock() -> datetime:
    return datetime.now(UTC)


def shown(record: MandateRecord, now: datetime | None = None) -> MandateOut:
    status = record.status
    expires = _instant(record.authorisation_expires_at)
    if status == AWAITING and expires is not None and expires <= (now or clock()):
        status = EXPIRED
    return MandateOut.of(record, status, collectable=status in USABLE)


def _instant(text: str | None) -> datetime | None:
    """GoCardless's timestamps (``2024-05-01T10:00:00.000Z``) as an aware datetime."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def mandate_of(tenant_id: str, contact_id: str) -> MandateOut:
    record = mandates.get(tenant_id, contact_id.lower())
    if record is None:
        raise NotFoundError("no direct-debit mandate was asked for this contact")
    return shown(record)


def ask(
    tenant_id: str,
    actor: str,
    contact_id: str,
    request: MandateRequest,
    api: GoCardlessApi | None = None,
) -> tuple[MandateOut, bool]:
    """The contact's mandate, and whether a new attempt was started for it."""
    contact_id = contact_id.lower()
    current = mandates.get(tenant_id, contact_id)
    if current is not None and _still_good(current, request.currency):
        return shown(current), False
    contact = XeroPayments(tenant_id).contacts_by_ids([contact_id]).get(contact_id)
    if contact is None:
        raise NotFoundError("no such contact in this organisation")
    currency = _currency(request, contact)
    generation = current.generation + 1 if current else 1
    record = _start_at_gocardless(
        api or GoCardlessApi(), tenant_id, actor, contact, currency, generation, request
    )
    if not mandates.start(record, current.generation if current else None):
        winner = mandates.get(tenant_id, contact_id)  # someone asked at the same moment
        assert winner is not None
        return shown(winner), False
    _note(record, "mandate_requested", actor, {"currency": currency,
          "billing_request_id": record.billing_request_id, "generation": generation})  # fmt: skip
    return shown(record), True


def _still_good(record: MandateRecord, currency: str | None) -> bool:
    if currency is not None and currency != record.currency:
        if record.status in USABLE:
            raise ConflictError(
                f"the contact already has a {record.currency} mandate",
                [{"mandate_id": record.mandate_id, "status": record.status}],
            )
        return False
    return record.status in USABLE or shown(record).status == AWAITING


def _currency(request: MandateRequest, contact: dict[str, Any]) -> str:
    currency = request.currency or str(contact.get("DefaultCurrency") or "")
    if currency not in SCHEMES:
        raise CurrencyNotSupportedError(
            "GoCardless collects EUR (SEPA Core) or GBP (Bacs): give the mandate's currency"
            + (f" (the contact's default currency is {currency})" if currency else ""),
            [{"field": "currency", "contact_currency": currency or None}],
        )
    return currency


def _start_at_gocardless(
    api: GoCardlessApi,
    tenant_id: str,
    actor: str,
    contact: dict[str, Any],
    currency: str,
    generation: int,
    request: MandateRequest,
) -> MandateRecord:
    contact_id = str(contact["ContactID"]).lower()
    ours = {TENANT_KEY: tenant_id, CONTACT_KEY: contact_id}
    attempt = (tenant_id, contact_id, str(generation))
    billing = api.create_billing_request(
        {"mandate_request": {"currency": currency, "metadata": ours}, "metadata": ours},
        idempotency_key("billing_request", *attempt),
    )
    flow_params: dict[str, Any] = {
        "links": {"billing_request": billing["id"]},
        "prefilled_customer": prefilled_customer(contact),
    }
    for name in ("redirect_uri", "exit_uri"):
        if getattr(request, name):
            flow_params[name] = getattr(request, name)
    flow = api.create_flow(flow_params, idempotency_key("flow", *attempt))
    stamp = mandates.now_iso()
    return MandateRecord(
        tenant_id=tenant_id,
        contact_id=contact_id,
        status=AWAITING,
        currency=currency,
        scheme=SCHEMES[currency],
        generation=generation,
        billing_request_id=str(billing["id"]),
        flow_id=flow.get("id"),
        authorisation_url=flow.get("authorisation_url"),
        authorisation_expires_at=flow.get("expires_at"),
        customer_id=(billing.get("links") or {}).get("customer"),
        requested_by=actor,
        created_at=stamp,
        updated_at=stamp,
    )


def prefilled_customer(contact: dict[str, Any]) -> dict[str, str]:
    """What GoCardless's page shows filled in: the contact as Xero holds it (an address's
    country only when Xero holds it as a two-letter code)."""
    given, family = contact.get("FirstName"), contact.get("LastName")
    found: dict[str, Any] = {"email": contact.get("EmailAddress")}
    if given and family:
        found.update(given_name=given, family_name=family)
    else:
        found["company_name"] = contact.get("Name")
    addresses = [a for a in contact.get("Addresses") or [] if a.get("AddressLine1")]
    address: dict[str, Any] = addresses[0] if addresses else {}
    found.update(
        address_line1=address.get("AddressLine1"),
        city=address.get("City"),
        postal_code=address.get("PostalCode"),
    )
    country = str(address.get("Country") or "")
    if len(country) == 2 and country.isalpha():
        found["country_code"] = country.upper()
    return {k: str(v) for k, v in found.items() if v}


# ---------------------------------------------------------------------------- following
def follow(
    api: GoCardlessApi,
    record: MandateRecord,
    actor: str,
    *,
    billing_request: dict[str, Any] | None = None,
    mandate: dict[str, Any] | None = None,
    cause: dict[str, Any] | None = None,
) -> MandateRecord:
    """`record` brought up to date with GoCardless (its billing request, then the mandate it
    made), reading what the caller has not read already; `cause` is what the webhook said
    about the mandate's last change, kept for people when it matches the status."""
    if mandate is None or mandate.get("id") != record.mandate_id:
        billing_request = billing_request or api.billing_request(record.billing_request_id)
        made = (billing_request.get("links") or {}).get("mandate_request_mandate")
        if billing_request.get("status") == "cancelled":
            return _change(record, actor, status=CANCELLED, cause="billing_request_cancelled")
        if not made:
            return record  # the customer has not authorised it yet
        if mandate is None or mandate.get("id") != made:
            mandate = api.mandate(str(made))
    status = str(mandate.get("status"))
    fields: dict[str, Any] = {
        "status": status,
        "mandate_id": mandate.get("id"),
        "scheme": mandate.get("scheme"),
        "next_possible_charge_date": mandate.get("next_possible_charge_date"),
        "customer_id": (mandate.get("links") or {}).get("customer"),
    }
    if cause and status not in USABLE:
        fields.update(cause=cause.get("cause"), description=cause.get("description"))
    return _change(record, actor, **fields)


def _change(record: MandateRecord, actor: str, **fields: Any) -> MandateRecord:
    wanted = {k: v for k, v in fields.items() if v is not None}
    if all(getattr(record, k) == v for k, v in wanted.items()):
        return record  # nothing new (a redelivered or older webhook)
    moved = mandates.update(record.tenant_id, record.contact_id, record.billing_request_id,
                            **wanted)  # fmt: skip
    if moved is None:
        return record  # a newer attempt replaced this one meanwhile
    if moved.status != record.status:
        _note(moved, f"mandate_{moved.status}", actor, {"from": record.status,
              "mandate_id": moved.mandate_id, "cause": moved.cause})  # fmt: skip
    return moved


def _note(record: MandateRecord, action: str, actor: str, details: dict[str, Any]) -> None:
    audit.append(
        tenant_id=record.tenant_id,
        action=action,
        actor=actor,
        details={k: v for k, v in details.items() if v is not None},
        subject=audit.mandate_subject(record.tenant_id, record.contact_id),
    )
    out = shown(record).model_dump(mode="json")
    events.announce(f"mandate.{out['status']}", {**out, "tenant_id": record.tenant_id})
