"""The direct-debit schemes GoCardless collects through here, and the mandate statuses a
collection may be made on (GoCardless's own rule)."""

from __future__ import annotations

SCHEMES = {"EUR": "sepa_core", "GBP": "bacs"}  # the invoice's currency: the mandate's scheme
USABLE = ("pending_customer_approval", "pending_submission", "submitted", "active")
