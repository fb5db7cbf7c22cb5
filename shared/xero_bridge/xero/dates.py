"""Xero's dates and times: `/Date(1550793549320+0000)/` and ISO 8601 text.

Xero's JSON writes instants the .NET way: milliseconds since the Unix epoch (UTC, possibly
negative), then an optional `±hhmm` offset that only says in which zone to show it, so the
instant ignores it. Some fields come as ISO text instead (`DateString`, webhook
`eventDateUtc`), with or without a zone; without one they are UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

_MS_DATE = re.compile(r"/Date\((?P<ms>-?\d+)(?P<offset>[+-]\d{4})?\)/")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def xero_epoch_ms(text: str) -> int | None:
    """The epoch milliseconds of `/Date(ms±hhmm)/`; None when `text` is not one."""
    found = _MS_DATE.fullmatch(text)
    return int(found["ms"]) if found else None


def parse_xero_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime of `/Date(…)/` or ISO date-time text (UTC if it names no zone);
    None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    ms = xero_epoch_ms(value)
    if ms is not None:
        return datetime.fromtimestamp(ms / 1000, tz=UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def parse_xero_time_ms(value: Any) -> int | None:
    """Epoch milliseconds of `/Date(…)/` or ISO date-time text (UTC if naive); None else."""
    if not isinstance(value, str) or not value:
        return None
    ms = xero_epoch_ms(value)
    if ms is not None:
        return ms  # exact: no round trip through a float
    parsed = parse_xero_datetime(value)
    if parsed is None:
        return None
    return int((parsed - _EPOCH).total_seconds() * 1000)


def parse_xero_date(value: Any) -> date | None:
    """The day of `/Date(…)/` (in UTC), of ISO text (its first ten characters: the day as
    written), or of a date or datetime; None for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    ms = xero_epoch_ms(text)
    if ms is not None:
        return datetime.fromtimestamp(ms / 1000, tz=UTC).date()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
