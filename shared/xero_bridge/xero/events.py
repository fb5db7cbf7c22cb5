"""Domain events about connections on the product's EventBridge bus (`EVENT_BUS_NAME`).

Source `xero-bridge`, detail-type e.g. `xero.connection.needs_reconnect`. Best effort: a
failure is logged, never raised into the refresh that noticed it.
"""

from __future__ import annotations

from typing import Any

from xero_bridge.aws import event_bus
from xero_bridge.observability import logger
from xero_bridge.settings import get_settings


def publish(detail_type: str, detail: dict[str, Any]) -> bool:
    """Put one event on the bus; False (logged) when there is no bus or EventBridge refused."""
    bus = get_settings().domain_event_bus_name
    if not bus:
        logger.warning("no EVENT_BUS_NAME: domain event not published", extra={"type": detail_type})
        return False
    if not event_bus.put_event(bus, detail_type, detail):
        logger.warning("EventBridge refused a domain event", extra={"type": detail_type})
        return False
    return True
