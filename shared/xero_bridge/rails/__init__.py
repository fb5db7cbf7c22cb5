"""Payment rails: the one step of a payment's lifecycle that differs by provider, "execute".

A payment names its rail in the request (`rail`, default ``xero``); everything else — the
request's checks against the books, four-eyes approval, idempotency, the audit trail, the
statuses (`xero_bridge.payments.lifecycle`) — is the same for every rail. Today:

- ``xero`` (`rails.xero.XeroRail`): records the payment in Xero; no money moves through us.
- ``solaris_sepa`` (`rails.solaris.rail.SolarisRail`): pays a EUR bill by SEPA credit
  transfer from the business's Solaris account; Xero records it once Solaris booked it.

A money-moving rail also has (all optional for the record-only one): `clearing_account_code`
(the Xero bank account its payments are recorded against), `preflight` (checked before an
approval sends anything), a callback provider (`rails.callbacks`: verify and read its
webhooks) and the reconciler, which calls `refresh` for its payments that stayed open too long.

Adding a rail (e.g. ``solaris_sepa``):

1. write `rails/<name>.py` with a class that satisfies `rails.base.Rail`, built from the
   tenant's `XeroPayments` (its constructor reads its own credentials from the app secret):
   - `check(checked)`: what must hold before the payment is stored and approved (raise
     ValidationFailedError otherwise); the details it answers go into the audit trail for
     the approver;
   - `execute(payments)`: send each payment with a reference derived from our payment id
     (`payments.keys`), so a repeat answers the existing transfer instead of paying twice;
     answer `RailOutcome(state="executing" | "awaiting_confirmation" | "settled" | "failed",
     rail_status=<the provider's word>, rail_reference=<the provider's id>)`;
   - `confirm(payment, factor)`: the second factor; `refresh(payments)`: re-read the
     provider's truth (callbacks and the reconciler call it; a callback is never trusted);
   - once the provider says ``settled``, record the payment in Xero with
     `rails.xero_record.record_in_xero` and answer state ``recorded`` (Xero once, after the
     money moved);
2. add it to `RAILS` below: the request's `rail` then accepts its name (an unknown name is a 400
   naming the allowed ones), and `payments.execute` routes its payments to it.

Nothing under `xero_bridge.payments` changes for a new rail, except where it needs new request
fields (`payee`, `crypto`) and routes (`…/confirm`).
"""

from __future__ import annotations

from collections.abc import Callable

from xero_bridge.errors import ConfigurationError
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.rails.base import Rail
from xero_bridge.rails.solaris.rail import SolarisRail
from xero_bridge.rails.xero import XeroRail

DEFAULT_RAIL = "xero"
RAILS: dict[str, Callable[[XeroPayments], Rail]] = {
    "xero": XeroRail,
    "solaris_sepa": SolarisRail,
}


def moves_money(name: str) -> bool:
    """Whether the rail called `name` moves money (its payments are open until final)."""
    return bool(getattr(RAILS.get(name), "moves_money", False))


def clearing_account(name: str, tenant_id: str) -> str | None:
    """The Xero bank account (code) a money-moving rail records its payments against, for a
    request that names none; None for a rail without one (the request must name it)."""
    find = getattr(RAILS.get(name), "clearing_account_code", None)
    return str(find(tenant_id)) if callable(find) else None


def title_of(name: str) -> str:
    """A rail's name for people ("Xero"), for messages about its payments."""
    return str(getattr(RAILS.get(name), "title", name))


def rail_for(name: str, xero: XeroPayments) -> Rail:
    """The rail called `name`, for the tenant of `xero`.

    Requests name only rails of `RAILS` (the request model refuses others with a 400), so
    an unknown name here is a stored payment of a rail this deployment no longer has.
    """
    factory = RAILS.get(name)
    if factory is None:
        raise ConfigurationError(f"no rail {name!r} in this deployment")
    return factory(xero)
