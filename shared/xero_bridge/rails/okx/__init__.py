"""The ``okx`` rail: bills paid in crypto by an OKX withdrawal to an approved payout address,
at a quote the approver saw, recorded in Xero in the bill's currency once the chain confirms.

- `config` — the API key (app secret) and endpoints, clearing and fee accounts (settings);
- `signing` — OKX's request signature and timestamp, exactly as OKX documents them;
- `client` — httpx with the signature, the clock kept honest against OKX's, OKX's rate limit
  (6 requests a second per endpoint), retries of reads, OKX's answer envelope and its codes;
- `api` — the calls, one function each (currencies, ticker, balances, withdrawal, history);
- `quote` — the bill's amount in crypto at OKX's market price, rounded down to the tick;
- `withdrawals` — our withdrawal body (clientId from the payment) and what OKX's states mean;
- `fee_booking` — the network fee as a spend-money transaction in Xero (when configured);
- `rail` — `OkxRail`, the `rails.base.Rail` the lifecycle drives.
"""
