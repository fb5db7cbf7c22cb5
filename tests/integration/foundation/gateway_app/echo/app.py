"""Test function: answers with the event it received."""

import json


def lambda_handler(event, context):
    if event["rawPath"] == "/plain":
        return {"plain": True}  # no statusCode: API Gateway infers a 200 JSON answer
    if event["rawPath"] == "/boom":
        raise RuntimeError("handler failure")
    return {
        "statusCode": 201,
        "headers": {"Content-Type": "application/json", "X-Echo": "yes"},
        "cookies": ["a=1; Path=/"],
        "body": json.dumps(event),
    }
