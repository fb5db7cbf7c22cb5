"""What GoCardless says in an event's `details`: for each (resource type, action, origin) the
cause and the description its API reference documents. The bank's answers that depend on
the scheme (a failed or charged-back payment) come from schemes.py instead."""

from __future__ import annotations

CATALOG: dict[tuple[str, str, str], tuple[str, str]] = {
    ("mandates", "created", "api"): ("mandate_created", "Mandate created via the API."),
    ("mandates", "submitted", "gocardless"): (
        "mandate_submitted",
        "The mandate has been submitted to the banks.",
    ),
    ("mandates", "active", "gocardless"): (
        "mandate_activated",
        "The time window after submission for the banks to refuse a mandate has ended "
        "without any errors being received, so this mandate is now active.",
    ),
    ("mandates", "cancelled", "api"): (
        "mandate_cancelled",
        "The mandate was cancelled at your request.",
    ),
    ("payments", "created", "api"): ("payment_created", "Payment created via the API."),
    ("payments", "submitted", "gocardless"): (
        "payment_submitted",
        "Payment submitted to the banks. As a result, it can no longer be cancelled.",
    ),
    ("payments", "confirmed", "gocardless"): (
        "payment_confirmed",
        "Enough time has passed since the payment was submitted for the banks to return "
        "an error, so this payment is now confirmed.",
    ),
    ("payments", "paid_out", "gocardless"): (
        "payment_paid_out",
        "The payment has been paid out by GoCardless.",
    ),
    ("payments", "late_failure_settled", "gocardless"): (
        "late_failure_settled",
        "This late failed payment has been settled against a payout.",
    ),
    ("payments", "chargeback_settled", "gocardless"): (
        "chargeback_settled",
        "This charged back payment has been settled against a payout.",
    ),
    ("payments", "cancelled", "api"): (
        "payment_cancelled",
        "This payment was cancelled at your request.",
    ),
    ("payments", "resubmission_requested", "api"): (
        "payment_retried",
        "An attempt to retry this payment was requested.",
    ),
    ("refunds", "created", "api"): (
        "payment_refunded",
        "The refund has been created, and will be submitted in the next batch.",
    ),
    ("refunds", "paid", "gocardless"): (
        "refund_paid",
        "The refund has been paid to your customer.",
    ),
}

# Billing request events: the same cause and description whoever acted (api, payer, gocardless).
BILLING_REQUEST_EVENTS: dict[str, tuple[str, str]] = {
    "created": ("billing_request_created", "This billing request has been created."),
    "flow_created": (
        "billing_request_flow_created",
        "A billing request flow has been created against this billing request.",
    ),
    "flow_visited": ("billing_request_flow_visited", "The billing request flow has been visited."),
    "collect_customer_details": (
        "billing_request_collect_customer_details",
        "Customer details have been collected for this billing request.",
    ),
    "collect_bank_account": (
        "billing_request_collect_bank_account",
        "Bank account details have been collected for this billing request.",
    ),
    "payer_details_confirmed": (
        "billing_request_payer_details_confirmed",
        "Payer has confirmed all their details for this billing request.",
    ),
    "bank_authorisation_authorised": (
        "billing_request_bank_authorisation_authorised",
        "A bank authorisation for this billing request has been authorised by the payer.",
    ),
    "fulfilled": (
        "billing_request_fulfilled",
        "This billing request has been fulfilled, and the resources have been created.",
    ),
    "cancelled": (
        "billing_request_cancelled",
        "This billing request has been cancelled, none of the resources have been created.",
    ),
}


def describe(resource_type: str, action: str, origin: str) -> tuple[str, str]:
    if resource_type == "billing_requests":
        return BILLING_REQUEST_EVENTS[action]
    return CATALOG[(resource_type, action, origin)]
