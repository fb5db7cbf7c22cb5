"""The ``saferpay`` rail: sales invoices paid by card on Worldline Saferpay's Payment Page (a
payment link), recorded in Xero once Saferpay has captured the money.

- `config` — the credentials (app secret), endpoint (settings) and Xero clearing account;
- `client` — httpx with Basic auth, the RequestHeader, and retries as Saferpay's ``Behavior``
  says (RETRY now, with the same RequestId and a higher RetryIndicator; RETRY_LATER and
  DO_NOT_RETRY left to the caller), Saferpay's error body as `SaferpayApiError`;
- `api` — the calls (Initialize, Assert, Capture, Cancel), one function each;
- `amounts` — integer minor units as a string at the boundary, Decimal everywhere else;
- `pages` — our Initialize body and what Saferpay's answers mean for the payment;
- `rail` — `SaferpayRail`, the `rails.base.Rail` the lifecycle drives;
- `links`, `link_models` — the payment link routes' actions and answers;
- `rails.callbacks.saferpay` — the notifications (unsigned GETs: only a prompt to Assert).
"""
