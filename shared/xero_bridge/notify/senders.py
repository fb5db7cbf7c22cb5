"""Sending an alert: Slack's and Discord's webhooks over the safe POST, e-mail through SES.

Slack answers 200 `ok`; Discord 204 (or 429 with `retry_after`). Either answer anything else
and the alert was not posted. How SES is called is `xero_bridge.aws.ses`'s business.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from xero_bridge.aws import ses
from xero_bridge.notify import alert_texts, outbound
from xero_bridge.notify.alerts import Alert
from xero_bridge.settings import get_settings


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    status: int | None = None
    error: str | None = None


def _post_json(url: str, payload: dict[str, Any]) -> SendOutcome:
    settings = get_settings()
    answer = outbound.post(
        url,
        json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        {"Content-Type": "application/json"},
        timeout=settings.delivery_timeout_seconds,
        max_bytes=4096,
        allow_loopback=settings.allows_loopback_receivers,
    )
    if answer.ok:
        return SendOutcome(True, answer.status)
    error = answer.error or f"answered {answer.status}: {answer.excerpt[:200]}"
    return SendOutcome(False, answer.status, error)


def send_email(to: str, subject: str, body: str) -> SendOutcome:
    sender = get_settings().alert_sender_email
    if not sender:
        return SendOutcome(False, error="ALERT_SENDER_EMAIL is not set")
    try:
        ses.send_text(sender, to, subject, body)
    except ses.EmailNotSent as exc:
        return SendOutcome(False, error=str(exc))
    return SendOutcome(True)


def send(kind: str, target: str, alert: Alert, tenant_name: str | None) -> SendOutcome:
    """Send `alert` to one channel (`target` is its URL or address, in the clear)."""
    console = get_settings().console_url
    if kind == "slack":
        return _post_json(target, alert_texts.slack(alert, tenant_name, console))
    if kind == "discord":
        return _post_json(target, alert_texts.discord(alert, tenant_name, console))
    if kind == "email":
        subject, body = alert_texts.email(alert, tenant_name, console)
        return send_email(target, subject, body)
    return SendOutcome(False, error=f"unknown channel kind {kind}")
