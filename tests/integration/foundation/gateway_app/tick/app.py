"""Test function on a schedule: records the events it receives."""

EVENTS = []


def lambda_handler(event, context):
    EVENTS.append(event)
    return {"ticks": len(EVENTS)}
