"""How Saferpay writes ids, dates and amounts on the wire."""

from __future__ import annotations

import json
import secrets
import string
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask import Response

JSON = "application/json; charset=utf-8"
_ALNUM = string.ascii_letters + string.digits


def new_transaction_id() -> str:
    """28 alphanumerics, like ``723n4MAjMdhjSAhAKEUdA8jtl9jb``."""
    return "".join(secrets.choice(_ALNUM) for _ in range(28))


def new_token() -> str:
    """Lower-case alphanumerics, like ``234uhfh78234hlasdfh8234e1234``."""
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(28))


def new_digits(count: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(count))


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds: ``2015-01-30T11:45:22.258Z``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def iso_at(timestamp: float) -> str:
    return iso(datetime.fromtimestamp(timestamp, tz=UTC))


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type=JSON)


def major_units(value: str, exponent: int) -> Decimal:
    """ "1050" with exponent 2 is 10.50 (for showing an amount to the payer)."""
    return Decimal(int(value)).scaleb(-exponent)
