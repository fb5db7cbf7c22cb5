"""Sending one alert to every channel of its tenant that chose its type.

The same alert (its key) goes to a channel at most once per ALERT_REPEAT_AFTER_SECONDS: a
conditional mark is written before the channel is called, and taken back if the call failed
so the retry may send it. An alert about an endpoint also goes to its owner's e-mail
(`email_to`), under the same rule. Channels that failed make the whole message fail, so
SQS retries it; those that got it are not sent it again (their marks stand).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from xero_bridge.notify import alerts, channels, senders
from xero_bridge.notify.alerts import Alert
from xero_bridge.observability import logger
from xero_bridge.persistence import notification_channels as channel_store
from xero_bridge.persistence import notify_state
from xero_bridge.settings import Settings, get_settings


class AlertNotSentError(Exception):
    """At least one channel did not take the alert: the message is tried again."""


@dataclass(frozen=True)
class _Recipient:
    mark: str  # whose once-an-hour mark this is
    kind: str
    target: Callable[[], str]


@dataclass
class AlertSender:
    send: Callable[[str, str, Alert, str | None], senders.SendOutcome] = senders.send
    clock: Callable[[], float] = time.time
    settings: Settings = field(default_factory=get_settings)
    counts: Counter[str] = field(default_factory=Counter)

    def recipients(self, alert: Alert) -> list[_Recipient]:
        found = [
            _Recipient(c.channel_id, c.kind, lambda c=c: channels.target_of(c))  # type: ignore[misc]
            for c in channel_store.list_for_tenant(alert.tenant_id)
            if alerts.wants(c.alerts, alert.type)
        ]
        for address in alert.email_to:
            found.append(_Recipient(f"email:{address.lower()}", "email", lambda a=address: a))  # type: ignore[misc]
        return found

    def deliver(self, alert: Alert) -> None:
        """Send `alert` where it should go; AlertNotSentError when a channel refused it."""
        recipients = self.recipients(alert)
        if not recipients:
            self.counts["alerts_unrouted"] += 1
            return
        name = channels.tenant_name(alert.tenant_id)
        failed = 0
        for recipient in recipients:
            now = int(self.clock())
            repeat = self.settings.alert_repeat_after_seconds
            if not notify_state.claim_alert(
                alert.tenant_id, recipient.mark, alert.key, now, repeat
            ):
                self.counts["alerts_repeated_within_the_hour"] += 1
                continue
            outcome = self.send(recipient.kind, recipient.target(), alert, name)
            if outcome.ok:
                self.counts["alerts_sent"] += 1
                continue
            failed += 1
            self.counts["alerts_failed"] += 1
            logger.warning(
                "an alert was not taken",
                extra={
                    "tenant_id": alert.tenant_id,
                    "kind": recipient.kind,
                    "error": outcome.error,
                },
            )
            notify_state.release_alert(alert.tenant_id, recipient.mark, alert.key, now)
        if failed:
            raise AlertNotSentError(f"{failed} of {len(recipients)} channels did not take it")
