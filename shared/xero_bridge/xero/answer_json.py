"""Xero's JSON answers read with every number a Decimal, never through a binary float."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def json_object(data: bytes | str) -> dict[str, Any]:
    """The JSON object in `data` (an answer's body); {} when it holds another JSON value."""
    parsed = json.loads(data, parse_float=Decimal)
    return parsed if isinstance(parsed, dict) else {}


def answer_object(result: Any) -> dict[str, Any] | None:
    """The JSON object of a raw answer (`_preload_content=False`: its `data`) or of JSON text;
    a mapping as it is; None for anything else."""
    data = getattr(result, "data", result)
    if isinstance(data, bytes | str):
        return json_object(data)
    return data if isinstance(data, dict) else None
