"""Test authorizer: allows tokens starting "good" on every route but DELETE ones; counts calls."""

CALLS = []


def lambda_handler(event, context):
    CALLS.append(event)
    allowed = event["identitySource"][0].startswith("Bearer good") and not event[
        "routeKey"
    ].startswith("DELETE")
    return {"isAuthorized": allowed, "context": {"sub": "alice@example.com", "scopes": "a b"}}
