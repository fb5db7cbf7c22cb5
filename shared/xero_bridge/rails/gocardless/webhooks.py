"""What a batch of GoCardless webhooks means for us (the rail worker calls `handle`).

A webhook's body is ``{"events": [{id, created_at, resource_type, action, links, details}],
"meta": {"webhook_id"}}``; webhooks come batched, out of order and more than once, and an
event is only a hint of where to look. So, for the callbacks of one worker batch:

1. their events, each once (by id), less those already done (the WebhookEvents table,
   ``gocardless:<event id>``);
2. each resource they name read once at GoCardless — whatever the events said, in whatever
   order they came — and acted on as it is now:
   - a payment whose metadata names one of ours still open: moved as its status says, and
     once collected recorded in Xero — exactly once, one PUT per tenant for the batch
     (`execute.record_settled`);
   - one of ours recorded whose money went back: reversed in Xero (`chargebacks`);
   - a billing request or mandate whose metadata names one of our contacts: that contact's
     mandate brought up to date (`mandates.follow`);
   - anything else (not ours, already final, an older attempt): nothing;
3. a callback's events marked done, unless something one of them names failed: that
   callback goes back to the queue, and every resource is read again next time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xero_bridge.errors import XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.payments.execute import apply, record_settled
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import mandates as mandate_store
from xero_bridge.persistence import payments as store
from xero_bridge.persistence import webhook_events
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.callbacks.base import Handled
from xero_bridge.rails.gocardless import collections
from xero_bridge.rails.gocardless import mandates as mandate_flow
from xero_bridge.rails.gocardless.api import GoCardlessApi, GoCardlessRefusal
from xero_bridge.rails.gocardless.chargebacks import take_back
from xero_bridge.rails.gocardless.rail import GoCardlessRail

ACTOR = "provider-callback"
OWNER = "rail-worker"
LINK_OF = {"payments": "payment", "mandates": "mandate", "billing_requests": "billing_request"}
Resource = tuple[str, str]  # (resource_type, GoCardless id)


@dataclass(frozen=True)
class Event:
    id: str
    created_at: str
    resource_type: str
    action: str
    resource: Resource | None
    details: dict[str, Any]

    @property
    def key(self) -> str:
        return f"gocardless:{self.id}"

    @property
    def attributes(self) -> dict[str, Any]:
        """What the WebhookEvents table keeps of it."""
        return {"provider": "gocardless", "resource_type": self.resource_type,
                "action": self.action}  # fmt: skip


def events_of(body: bytes) -> list[Event]:
    """The events of a webhook body (a malformed body has none)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return []
    found = payload.get("events") if isinstance(payload, dict) else None
    events = []
    for raw in found if isinstance(found, list) else []:
        if not isinstance(raw, dict) or not raw.get("id"):
            continue
        kind = str(raw.get("resource_type") or "")
        links: dict[str, Any] = raw["links"] if isinstance(raw.get("links"), dict) else {}
        linked = links.get(LINK_OF.get(kind, ""))
        details: dict[str, Any] = raw["details"] if isinstance(raw.get("details"), dict) else {}
        events.append(Event(str(raw["id"]), str(raw.get("created_at") or ""), kind,
                            str(raw.get("action") or ""),
                            (kind, str(linked)) if linked else None, details))  # fmt: skip
    return events


def handle(callbacks: Sequence[tuple[str, bytes]], api: GoCardlessApi | None = None) -> Handled:
    """`callbacks` are (message id, verified body); see the module's docstring."""
    handled = Handled()
    by_message = {message_id: events_of(body) for message_id, body in callbacks}
    every = {e.key: e for events in by_message.values() for e in events}
    done = webhook_events.finished(every) if every else set()
    fresh = [e for e in every.values() if e.key not in done]
    handled.counts.update(events=len(every), duplicates=len(every) - len(fresh))
    follower = _Follower(api or GoCardlessApi(), handled)
    broken = follower.follow_all(fresh) if fresh else set()
    finished: list[tuple[str, dict[str, Any]]] = []
    for message_id, events in by_message.items():
        if any(e.resource in broken for e in events):
            handled.failed.add(message_id)
            continue
        finished.extend((e.key, e.attributes) for e in events if e.key not in done)
    if finished:
        webhook_events.complete(finished, OWNER, "done", _now())
    return handled


class _Follower:
    """Follows the resources of one batch; what is now settled is recorded in Xero at the
    end, one PUT per tenant (GoCardless confirms payments in batches)."""

    def __init__(self, api: GoCardlessApi, handled: Handled) -> None:
        self.api = api
        self.handled = handled
        # tenant -> our payment id -> (the settled payment, the GoCardless payment naming it)
        self.settled: dict[str, dict[str, tuple[PaymentRecord, Resource]]] = {}

    def follow_all(self, events: list[Event]) -> set[Resource]:
        """Each resource once (the newest event about it gives the cause); those that failed."""
        latest: dict[Resource, Event] = {}
        for event in sorted(events, key=lambda e: e.created_at):
            if event.resource is not None:
                latest[event.resource] = event
        broken: set[Resource] = set()
        for resource, event in latest.items():
            try:
                self._follow(resource, event)
            except XeroBridgeError as exc:
                logger.warning("gocardless resource not followed",
                               extra={"resource": resource[0], "id": resource[1],
                                      "error_code": exc.code})  # fmt: skip
                broken.add(resource)
        return broken | self._record_settled()

    def _follow(self, resource: Resource, event: Event) -> None:
        kind, gocardless_id = resource
        try:
            if kind == "payments":
                self._payment(resource, self.api.payment(gocardless_id))
            elif kind == "mandates":
                mandate = self.api.mandate(gocardless_id)
                self._mandate(mandate.get("metadata"), mandate=mandate, cause=event.details)
            elif kind == "billing_requests":
                request = self.api.billing_request(gocardless_id)
                self._mandate(request.get("metadata"), billing_request=request)
        except GoCardlessRefusal as refusal:  # e.g. a resource of another GoCardless account
            logger.info(
                "gocardless resource not readable",
                extra={"resource": kind, "id": gocardless_id, "status": refusal.status},
            )
            self.handled.count("not_ours")

    def _payment(self, resource: Resource, payment: dict[str, Any]) -> None:
        ids = collections.ours(payment)
        record = store.get(*ids) if ids else None
        if record is None or record.rail != collections.RAIL or not record.rail_key:
            self.handled.count("not_ours")
            return
        if record.rail_reference not in (None, payment.get("id")):
            self.handled.count("not_ours")  # metadata copied onto another payment: not this one
            return
        if record.rail_open:
            rail = GoCardlessRail(XeroPayments(record.tenant_id), self.api)
            moved = apply(record, rail.outcome(payment, how="webhook"), ACTOR)
            if moved.status == "settled":  # once per payment, even named by two of theirs
                self.settled.setdefault(moved.tenant_id, {})[moved.payment_id] = moved, resource
            else:
                self.handled.count(moved.status)
        elif record.status == "recorded" and payment.get("status") in collections.TAKEN_BACK:
            cause = self.api.latest_event_details(str(payment["id"]), str(payment["status"]))
            take_back(record, payment, cause, ACTOR)
            self.handled.count("taken_back")
        else:
            self.handled.count("final")

    def _record_settled(self) -> set[Resource]:
        """Xero once for each; one that Xero cannot take now stays settled (the reconciler
        records it later). The resources of a tenant whose recording raised: read again."""
        broken: set[Resource] = set()
        for tenant_id, settled in self.settled.items():
            records = [record for record, _ in settled.values()]
            try:
                done = record_settled(records, XeroPayments(tenant_id), ACTOR)
            except XeroBridgeError as exc:  # e.g. one changed while it was being recorded
                logger.warning("gocardless settled payments not recorded",
                               extra={"tenant_id": tenant_id, "payments": len(records),
                                      "error_code": exc.code})  # fmt: skip
                broken.update(resource for _, resource in settled.values())
                continue
            for record in records:
                self.handled.count(done.get(record.payment_id, record).status)
        return broken

    def _mandate(self, metadata: Any, **truth: Any) -> None:
        metadata = metadata if isinstance(metadata, dict) else {}
        tenant_id = metadata.get(mandate_flow.TENANT_KEY)
        contact_id = metadata.get(mandate_flow.CONTACT_KEY)
        record = mandate_store.get(str(tenant_id or ""), str(contact_id or ""))
        request = truth.get("billing_request")
        if record is None or (
            request is not None and request.get("id") != record.billing_request_id
        ):
            self.handled.count("not_ours")
            return
        mandate_flow.follow(self.api, record, ACTOR, **truth)
        self.handled.count("mandates")


def _now() -> float:
    import time

    return time.time()
