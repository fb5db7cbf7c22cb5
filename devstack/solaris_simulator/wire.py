"""How values go over the wire: Solaris ids, ISO timestamps, money objects, JSON answers."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Response

JSON = "application/json"


def new_id(suffix: str = "") -> str:
    """Solaris ids are 32 hex characters, often with a type suffix ("sctx", "cboo"...)."""
    return uuid.uuid4().hex + suffix


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d")


def money(cents: int) -> dict[str, Any]:
    """Solaris's amount object: integer cents, never a float."""
    return {"value": cents, "unit": "cents", "currency": "EUR"}


def dumps(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), status=status, headers=headers or {}, content_type=JSON)
