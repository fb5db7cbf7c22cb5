"""JSON text with every Decimal written as its exact number: the one writer of such JSON.

Xero request bodies (`xero_bridge.xero.exact_json`) and snapshot data
(`xero_bridge.persistence.snapshots`) carry money as Decimal; `json.dumps` refuses Decimal,
and going through float would change amounts. One rule for both: a Decimal is written digit
for digit (`Decimal("0.10")` → `0.10`), a float as the shortest text that reads back as it,
and a non-finite number (NaN, Infinity) is refused, as JSON has none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def dumps(value: Any) -> str:
    """JSON text of JSON-ready data (mappings, lists, text, numbers, booleans, None)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("a non-finite number cannot be written as JSON")
        return format(value, "f")
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    if isinstance(value, float):
        return dumps(Decimal(repr(value)))
    return json.dumps(value)
