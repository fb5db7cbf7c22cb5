"""Payments: money in (ACCREC) and out (ACCPAY) against Xero invoices, once and only once.

Reading a payment from the route to the Xero call, one module per step:

- `models` — what a caller sends (the request models the handler validates);
- `submit`, `batch`, `approve`, `reject`, `reverse`, `history` — one action each, the
  functions the handler calls (`functions/payments/app.py`);
- `idempotency` — Powertools idempotency around the actions that move money;
- `validation` — the checks against the tenant's books; `policy` — the approval threshold and
  four eyes;
- `lifecycle` — the statuses and the one table of moves between them; every status change
  goes through it (conditional write, audit entry, metric);
- `execute` — "execute on a rail": sends payments to their rail (`xero_bridge.rails`) and
  turns the rail's outcome into a lifecycle move;
- `answers` — what the actions answer (the API's output models);
- `payment_records`, `keys`, `money`, `xero_gateway` — our records, derived ids, exact
  money, and the Xero calls.

Nothing here knows HTTP: the handler maps an action's result to a status code.
"""
