"""The few shapes of Xero call a mirror makes, over the shared client (`accounting_request`:
token, tenant binding, both organisations' call budgets, exact decimals, mapped errors).

- `lookup(tenant, plural, clauses)`: records matching any of `where` clauses, 25 clauses a
  call (the URL stays short);
- `write_many(tenant, method, plural, records, key)`: many records in one call with
  `summarizeErrors=false`, one `ElementResult` per record, in order; the Idempotency-Key
  lets Xero replay the same call for 6 minutes (and the client repeat it after a 503);
- `calls` counts the calls made, per tenant and method, for the benches and the log.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from xero_bridge.errors import ValidationFailedError
from xero_bridge.xero.raw import Method, accounting_request

LOOKUP_CHUNK = 25
calls: Counter[tuple[str, str]] = Counter()  # (tenant id, "GET"|"WRITE") → calls made


@dataclass(frozen=True)
class ElementResult:
    ok: bool
    record: Mapping[str, Any] = field(default_factory=dict)
    messages: tuple[str, ...] = ()


def idempotency_key(*parts: str) -> str:
    """A key for one write, the same whenever the same write is repeated."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:48]


def request(
    tenant_id: str,
    method: Method,
    path: str,
    *,
    query: Mapping[str, str] | None = None,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Any:
    """One call; its JSON body (numbers as Decimal)."""
    calls[(tenant_id, "GET" if method == "GET" else "WRITE")] += 1
    response = accounting_request(tenant_id, method, path, query=query, body=body, headers=headers)
    return response.json() or {}


def lookup(
    tenant_id: str, plural: str, clauses: Iterable[str], query: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every record of `plural` matching one of `clauses` (OR), LOOKUP_CHUNK per call."""
    wanted = list(dict.fromkeys(clauses))
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        where = " OR ".join(wanted[start : start + LOOKUP_CHUNK])
        answer = request(tenant_id, "GET", f"/{plural}", query={**(query or {}), "where": where})
        found.extend(answer.get(plural) or [])
    return found


def literal(text: str) -> str:
    """A `where` string literal: quotes and backslashes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _messages(element: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(
        str(error.get("Message"))
        for error in element.get("ValidationErrors") or []
        if isinstance(error, dict) and error.get("Message")
    )


def write_many(
    tenant_id: str,
    method: Method,
    plural: str,
    records: Sequence[Mapping[str, Any]],
    key: str,
    *,
    path: str | None = None,
    query: Mapping[str, str] | None = None,
) -> list[ElementResult]:
    """Send `records` in one call; each one's result. A refusal of the whole call (Xero's
    400) is every record's refusal, with Xero's messages."""
    try:
        answer = request(
            tenant_id,
            method,
            path or f"/{plural}",
            query={"summarizeErrors": "false", **(query or {})},
            body={plural: list(records)},
            headers={"Idempotency-Key": key},
        )
    except ValidationFailedError as refused:
        messages = tuple(str(d.get("message")) for d in refused.details or [] if d.get("message"))
        return [ElementResult(False, {}, messages or (refused.message,)) for _ in records]
    elements = list(answer.get(plural) or [])
    results = []
    for index in range(len(records)):
        element = elements[index] if index < len(elements) else {}
        failed = (
            not element
            or element.get("StatusAttributeString") == "ERROR"
            or bool(element.get("ValidationErrors"))
        )
        messages = _messages(element) or (("Xero answered nothing for it",) if not element else ())
        results.append(ElementResult(not failed, element, messages if failed else ()))
    return results
