"""Alerts: what needs a person, said once and briefly, to the channels that chose it.

| type | when |
|---|---|
| `connection.needs_reconnect` | Xero refused a connection's refresh token: connect it again |
| `connection.missing_scopes` | a connection lacks a scope a feature needs: consent again |
| `payment.failed` | a payment failed, or its rail declined it |
| `payment.stuck` | a payment rests on its rail (executing, waiting for a TAN, settled but
  not recorded) longer than PAYMENT_STUCK_ALERT_AFTER_SECONDS |
| `payment.approval_overdue` | a payment waits for approval longer than
  PAYMENT_APPROVAL_ALERT_AFTER_SECONDS |
| `webhook.dead_letters` | Xero webhooks (or our deliveries) ended in a dead-letter queue |
| `webhook_endpoint.failing` | an endpoint failed every attempt at a delivery for three days |
| `mirror.parked` | a mirror stopped copying because of errors |

An alert has a `key` (what it is about, e.g. `payment.failed:<payment id>`): the same key
goes to a channel at most once per ALERT_REPEAT_AFTER_SECONDS (an hour).

Waiting too long is noticed by watches: the event that puts a payment in a waiting status
leaves a watch due when the wait becomes too long; the sweep then reads the payment and
alerts only if it is still in that status, unchanged since — once, as the watch is gone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from xero_bridge.notify.events import SOURCE, tenants_of

ALERT_TYPES: tuple[str, ...] = (
    "connection.needs_reconnect",
    "connection.missing_scopes",
    "payment.failed",
    "payment.stuck",
    "payment.approval_overdue",
    "webhook.dead_letters",
    "webhook_endpoint.failing",
    "mirror.parked",
)
APPROVAL_WAIT = "pending_approval"
RAIL_WAITS = ("executing", "awaiting_confirmation", "settled")


@dataclass(frozen=True)
class Alert:
    type: str
    tenant_id: str
    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    link_path: str | None = None  # under the console's URL
    email_to: list[str] = field(default_factory=list)  # besides the channels (an owner)

    def message(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_message(cls, text: str) -> Alert:
        return cls(**json.loads(text))


@dataclass(frozen=True)
class WatchRequest:
    tenant_id: str
    payment_id: str
    status: str
    wait_seconds_setting: str  # which setting says how long is too long


def wants(chosen: list[str], alert_type: str) -> bool:
    return "*" in chosen or alert_type in chosen


def _money(detail: dict[str, Any]) -> str:
    amount, currency = detail.get("amount"), detail.get("currency_code")
    return " ".join(str(part) for part in (amount, currency) if part) or "a payment"


def _payment_line(detail: dict[str, Any]) -> str:
    parts = [_money(detail)]
    if detail.get("invoice_number") or detail.get("invoice_id"):
        parts.append(f"for invoice {detail.get('invoice_number') or detail.get('invoice_id')}")
    if detail.get("rail") and detail.get("rail") != "xero":
        rail = str(detail["rail"])
        parts.append(
            f"on {rail}" + (f" ({detail['rail_status']})" if detail.get("rail_status") else "")
        )
    return " ".join(parts)


def payment_failed(tenant_id: str, detail: dict[str, Any]) -> Alert:
    payment_id = str(detail.get("payment_id"))
    declined = "declin" in str(detail.get("rail_status") or "").lower()
    reasons = [str(f.get("message")) for f in detail.get("failure") or [] if isinstance(f, dict)]
    lines = [_payment_line(detail)]
    if reasons:
        lines.append("Why: " + "; ".join(r for r in reasons[:2] if r))
    return Alert(
        type="payment.failed",
        tenant_id=tenant_id,
        key=f"payment.failed:{payment_id}",
        title="Payment declined" if declined else "Payment failed",
        lines=lines,
        link_path=f"/tenants/{tenant_id}/payments/{payment_id}",
    )


def payment_waiting(tenant_id: str, payment: dict[str, Any], status: str, since: str) -> Alert:
    """A payment resting in `status` since `since` for too long."""
    payment_id = str(payment.get("payment_id"))
    overdue = status == APPROVAL_WAIT
    kind = "payment.approval_overdue" if overdue else "payment.stuck"
    title = "Payment waiting for approval" if overdue else f"Payment stuck on its rail ({status})"
    return Alert(
        type=kind,
        tenant_id=tenant_id,
        key=f"{kind}:{payment_id}:{status}",
        title=title,
        lines=[_payment_line(payment), f"In {status.replace('_', ' ')} since {since}."],
        link_path=f"/tenants/{tenant_id}/payments/{payment_id}",
    )


def _connection(tenant_id: str, name: str, detail: dict[str, Any]) -> Alert:
    if name == "needs_reconnect":
        title = "Xero connection needs reconnecting"
        lines = ["Xero no longer accepts this connection's refresh token; connect it again."]
    else:
        title = "Xero connection is missing scopes"
        missing = ", ".join(str(s) for s in detail.get("missing_scopes") or []) or "some scopes"
        lines = [f"Missing: {missing}. Connect it again to consent to them."]
    return Alert(
        type=f"connection.{name}",
        tenant_id=tenant_id,
        key=f"connection.{name}:{tenant_id}",
        title=title,
        lines=lines,
        link_path="/connections",
    )


def _mirror(detail: dict[str, Any]) -> Alert | None:
    tenant_id, mirror_id = detail.get("tenant_id"), detail.get("mirror_id")
    if not tenant_id or not mirror_id:
        return None
    errors = [str(e) for e in detail.get("errors") or []][:2]
    return Alert(
        type="mirror.parked",
        tenant_id=str(tenant_id),
        key=f"mirror.parked:{mirror_id}",
        title="Mirror parked with errors",
        lines=errors or ["The mirror stopped copying invoices; see its log."],
        link_path=f"/tenants/{tenant_id}/mirrors/{mirror_id}",
    )


def from_event(event: dict[str, Any]) -> tuple[list[Alert], list[WatchRequest]]:
    """The alerts an EventBridge event raises now, and the watches it leaves for later."""
    if event.get("source") != SOURCE:
        return [], []
    detail_type = str(event.get("detail-type", ""))
    detail = dict(event.get("detail") or {})
    if detail_type in ("xero.connection.needs_reconnect", "xero.connection.missing_scopes"):
        name = detail_type.rsplit(".", 1)[-1]
        return [_connection(t, name, detail) for t in tenants_of(detail)], []
    if detail_type == "mirror.parked":
        alert = _mirror(detail)
        return ([alert] if alert else []), []
    if not detail_type.startswith("payment."):
        return [], []
    status = detail_type.removeprefix("payment.")
    tenant_id, payment_id = detail.get("tenant_id"), detail.get("payment_id")
    if not tenant_id or not payment_id:
        return [], []
    declined = "declin" in str(detail.get("rail_status") or "").lower()
    if status == "failed" or declined:
        return [payment_failed(str(tenant_id), detail)], []
    if status == APPROVAL_WAIT:
        setting = "payment_approval_alert_after_seconds"
        return [], [WatchRequest(str(tenant_id), str(payment_id), status, setting)]
    if status in RAIL_WAITS:
        setting = "payment_stuck_alert_after_seconds"
        return [], [WatchRequest(str(tenant_id), str(payment_id), status, setting)]
    return [], []


def endpoint_failing(
    tenant_id: str, endpoint_id: str, url_hint: str, owner_email: str | None
) -> Alert:
    return Alert(
        type="webhook_endpoint.failing",
        tenant_id=tenant_id,
        key=f"webhook_endpoint.failing:{endpoint_id}",
        title="Webhook endpoint failing",
        lines=[
            f"{url_hint} has not accepted a delivery for three days.",
            "Fix it, then replay the failed deliveries.",
        ],
        link_path=f"/tenants/{tenant_id}/webhook_endpoints/{endpoint_id}",
        email_to=[owner_email] if owner_email else [],
    )


def dead_letters(tenant_id: str, queue: str, count: int) -> Alert:
    what = "Xero webhooks" if queue == "webhooks" else "webhook deliveries"
    return Alert(
        type="webhook.dead_letters",
        tenant_id=tenant_id,
        key=f"webhook.dead_letters:{queue}",
        title="Dead letters in the webhook queue",
        lines=[f"{count} {what} for this organisation failed every retry and wait for a person."],
        link_path="/operations",
    )
