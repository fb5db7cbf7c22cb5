"""Xero webhooks: signed intake into SQS, and the worker that turns events into snapshots.

intake (HTTP, no Xero calls) → SQS (one message per delivery, body unchanged) → worker:
de-duplicate by event identity, group by tenant and category, fetch with the `IDs` filter,
store the newest snapshot of each resource, publish a domain event to EventBridge.

- `signature.py`, `intake.py`: Xero's signature checked, the delivery queued (`queue.py`);
- `models.py`: Xero's payload and the queued message as the worker reads them;
- `worker.py`: the worker's one entry point and its collaborators;
- `batch.py`: one batch as a state machine (parse, claim, group, fetch, store, verdict);
- `batch_context.py`: what the parts of one batch share (owner, clock, counts…);
- `claims.py`: the dedup table's claims on events, and their verdicts;
- `publication.py`: snapshots stored only if newer, their domain events published;
- `domain_events.py`: what is published (detail types and details);
- `retries.py`: what goes back to the queue, and when (Retry-After, backoff, re-enqueue);
- `batch_metrics.py`: each batch's counts as CloudWatch metrics;
- `source.py` (Xero), `publisher.py` (EventBridge): the collaborators, behind protocols.
"""
