"""The ``gocardless`` rail: sales invoices collected by direct debit through GoCardless (the
official ``gocardless-pro`` SDK), recorded in Xero once GoCardless says the money is collected.

- `config` — the credentials (app secret), endpoints and the Xero clearing account (settings);
- `api` — the SDK calls, one method each, with our Idempotency-Keys and GoCardless's errors
  as ours; money as integer minor units;
- `schemes` — SEPA Core (EUR) and Bacs (GBP), and the mandate statuses a collection may use;
- `mandates` — asking for a customer's mandate (a billing request flow) and following it;
- `collections` — our GoCardless payment and what its status means for our payment;
- `rail` — `GoCardlessRail`, the `rails.base.Rail` the lifecycle drives;
- `chargebacks` — a collected payment the customer's bank took back: reversed in Xero;
- `webhooks` — what a batch of GoCardless's events means, each resource read again first;
- `models` — the routes' bodies (`functions/payments/direct_debit_routes.py`);
- `collect` — POST …/invoices/{id}/collect: a payment on this rail for the amount due.
"""
