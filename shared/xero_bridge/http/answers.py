"""How a route answers: `json_answer(status, model)`, `created(model)` for the 201 of every
route that makes something, `no_content()` for a 204.

The model itself is the body: Powertools checks it against the route's `Response[...]`
annotation and serialises it in JSON mode (money as decimal strings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import Response


def json_answer(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response[Any]:
    """`body` as JSON with `status` (and `headers`, when there are any)."""
    return Response(status, "application/json", body=body, headers=headers)


def created(body: Any) -> Response[Any]:
    """201: what the route made."""
    return json_answer(201, body)


def no_content() -> Response[Any]:
    """204: done, nothing to answer."""
    return Response(status_code=204, body="")
