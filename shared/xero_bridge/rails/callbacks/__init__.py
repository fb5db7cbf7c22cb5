"""Provider callbacks (webhooks) for the money-moving rails: one intake, one queue, one worker.

    Solaris · GoCardless · Saferpay ──> POST /webhooks/<provider> ──> intake ──SQS──> worker

- `base` — what a provider plugs in: `verify` (its signature, constant time) and `notices`
  (which of our payments a callback is about: the rail and our references at the provider);
- `intake` — verify, queue the callback as it came, answer fast (`functions/rail_callback_intake`);
- `worker` — for each notice: the open payments it names (index by_rail_open), their truth
  read at the provider (`Rail.refresh`: a callback is never trusted), the lifecycle moves it
  means, and the settled ones recorded in Xero, one PUT per tenant (`functions/rail_worker`);
- `solaris` — Solaris's webhooks.

A provider is added to `PROVIDERS`; its route (``POST /webhooks/<provider>``) to the intake
function in template.yaml.
"""

from __future__ import annotations

from xero_bridge.rails.callbacks.base import CallbackProvider
from xero_bridge.rails.callbacks.solaris import SolarisCallbacks

PROVIDERS: dict[str, type[CallbackProvider]] = {"solaris": SolarisCallbacks}
