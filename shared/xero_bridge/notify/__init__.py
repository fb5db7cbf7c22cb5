"""Telling the business's own systems and people: signed webhook endpoints and alerts.

    EventBus ──rule──> NotifyEventsQueue ──> fan-out ──> WebhookDeliveryQueue ──> delivery
                                                     └─> AlertQueue ──> alert sender
    schedule ──> sweep: retries due after long waits, payments waiting too long, dead letters

- `events`: the product's domain events as the outward events a receiver gets.
- `origins`: the versions our own writes produced, so an echo says where it came from.
- `signing`: `XeroBridge-Signature` and endpoint secrets.
- `addresses`, `outbound`: URLs and addresses a delivery may reach, and the pinned HTTPS POST.
- `fanout`, `delivery`, `backoff`: one delivery per (event, endpoint), sent, retried.
- `alerts`, `alert_texts`, `senders`: alert types, their short texts, Slack/Discord/SES.
- `sweep`: what the schedule does every minute.
- `sealed`: field-level KMS encryption of endpoint secrets and channel URLs.
"""
