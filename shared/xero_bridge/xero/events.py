"""Domain events about connections on the product's EventBridge bus (`EVENT_BUS_NAME`).

Source `xero-bridge`, detail-type e.g. `xero.connection.needs_reconnect`. Best effort: a
failure is logged, never raised into the refresh that noticed it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config

from xero_bridge.observability import logger
from xero_bridge.settings import get_settings

SOURCE = "xero-bridge"
_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})


@lru_cache(maxsize=1)
def _client() -> Any:
    return boto3.client("events", config=_CONFIG)


def reset_client() -> None:
    _client.cache_clear()


def publish(detail_type: str, detail: dict[str, Any]) -> bool:
    """Put one event on the bus; False (logged) when there is no bus or EventBridge refused."""
    bus = get_settings().domain_event_bus_name
    if not bus:
        logger.warning("no EVENT_BUS_NAME: domain event not published", extra={"type": detail_type})
        return False
    response = _client().put_events(
        Entries=[
            {
                "EventBusName": bus,
                "Source": SOURCE,
                "DetailType": detail_type,
                "Detail": json.dumps(detail, default=str),
            }
        ]
    )
    if response.get("FailedEntryCount"):
        logger.warning("EventBridge refused a domain event", extra={"type": detail_type})
        return False
    return True
