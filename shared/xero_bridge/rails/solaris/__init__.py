"""The ``solaris_sepa`` rail: bills paid by SEPA credit transfer from the business's Solaris
account, recorded in Xero once Solaris has booked the money.

- `config` — the credentials (app secret) and endpoints (settings);
- `client` — httpx with the client-credentials token cached and renewed, retries of 5xx,
  429 and timeouts (safe: every write carries a reference or names its change request),
  Solaris's error body as `SolarisApiError`;
- `api` — the calls, one function each; `payee` — who is paid and how Solaris verified it;
- `transfers` — our transfer body and what a transfer's status means for the payment;
- `rail` — `SolarisRail`, the `rails.base.Rail` the lifecycle drives;
- `callbacks` — the signed webhooks: verification and what they point at.
"""
