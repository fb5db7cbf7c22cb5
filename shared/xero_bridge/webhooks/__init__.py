"""Xero webhooks: signed intake into SQS, and the worker that turns events into snapshots.

intake (HTTP, no Xero calls) → SQS (one message per delivery, body unchanged) → worker:
de-duplicate by event identity, group by tenant and category, fetch with the `IDs` filter,
store the newest snapshot of each resource, publish a domain event to EventBridge.
"""
