"""Everything that talks to Xero: identity, tokens, the Accounting API client, the call budget."""
