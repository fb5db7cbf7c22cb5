"""How values go over the wire: Xero's /Date(ms+0000)/ dates, numbers for money."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

_MS_DATE = re.compile(r"^/Date\((?P<ms>-?\d+)(?P<tz>[+-]\d{4})?\)/$")
_DATETIME_CALL = re.compile(r"^DateTime\((\d{4}),\s*(\d{1,2}),\s*(\d{1,2})\)$")


def ms_date(value: date | datetime) -> str:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=UTC)
    return f"/Date({int(value.timestamp() * 1000)}+0000)/"


def iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_datetime(value: Any) -> datetime | None:
    """Xero accepts /Date(...)/, ISO dates and datetimes; naive means UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).strip()
    match = _MS_DATE.match(text)
    if match:
        return datetime.fromtimestamp(int(match["ms"]) / 1000, tz=UTC)
    call = _DATETIME_CALL.match(text)
    if call:
        return datetime(int(call[1]), int(call[2]), int(call[3]), tzinfo=UTC)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_date(value: Any) -> date | None:
    parsed = parse_datetime(value)
    return parsed.astimezone(UTC).date() if parsed else None


def parse_decimal(value: Any) -> Decimal | None:
    """Money from a request body; floats arrive as JSON numbers, so go through str()."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a number") from exc


def render(value: Any) -> Any:
    """Internal record -> JSON-ready value.

    Money is Decimal internally; it leaves as a JSON number (Xero sends 115.0, not "115.00").
    float() here is formatting only: every amount has at most 4 decimals, which a double's
    shortest repr reproduces exactly; no arithmetic ever happens on the float.
    """
    if isinstance(value, dict):
        return {k: render(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [render(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return ms_date(value)
    return value


def dumps(value: Any) -> str:
    return json.dumps(render(value))


def loads_decimal(raw: bytes) -> Any:
    """Request bodies: keep numbers exact."""
    return json.loads(raw or b"null", parse_float=Decimal)
