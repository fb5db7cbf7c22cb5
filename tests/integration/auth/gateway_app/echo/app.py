"""Answers with the principal a function would see (and counts its calls)."""

import json

from xero_bridge.auth.principal import Principal

CALLS = []


def lambda_handler(event, context):
    CALLS.append(event)
    principal = Principal.from_event(event)
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(principal.model_dump()),
    }
