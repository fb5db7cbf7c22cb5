"""What every records service does with Xero's answers: take the one record, or fail; list
calls and raw reads of one record, the same for every kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from xero_bridge.errors import NotFoundError, UpstreamError, ValidationFailedError
from xero_bridge.records.query import XeroListArgs, local_page, next_page
from xero_bridge.xero.client import accounting_api, raw_json, xero_call


class Paging(Protocol):
    """The page a list query asks for (every `records.query` model has it)."""

    @property
    def page(self) -> int: ...

    @property
    def page_size(self) -> int: ...


def only[T](records: Sequence[T] | None, kind: str) -> T:
    """The single record of a get/create/update answer; NotFound when there is none."""
    if not records:
        raise NotFoundError(f"Xero has no such {kind}")
    record = records[0]
    errors = getattr(record, "validation_errors", None)
    if errors:
        # summarizeErrors=false answers 200 with the element's own errors: still a 422.
        raise ValidationFailedError(
            "Xero rejected the request",
            [{"element": 0, "message": str(e.message)} for e in errors if e.message],
        )
    return record


def page_count(answer: Any) -> int | None:
    """Xero's pagination.pageCount when the answer carries it (paged invoices, contacts)."""
    pagination = getattr(answer, "pagination", None)
    count = getattr(pagination, "page_count", None)
    return int(count) if count is not None else None


def require(answer: Any, kind: str) -> Any:
    if answer is None:
        raise UpstreamError(f"Xero sent no {kind}")
    return answer


def idempotency(key: str | None) -> dict[str, str]:
    """xero-python's keyword argument for the caller's Idempotency-Key, when one was sent."""
    return {"idempotency_key": key} if key else {}


def listed[R](
    tenant_id: str,
    operation: str,
    args: XeroListArgs,
    kind: str,
    to_model: Callable[[Any], R],
    query: Paging,
) -> tuple[list[R], int | None]:
    """One page of a list, from one call `api.<operation>(tenant_id, **args)`: its `kind`
    records (`answer.contacts`…) as `to_model` makes them, and the next page's number (None:
    the last). Xero pages invoices and contacts itself (`args` asks for the page); accounts
    and items come whole, and are paged here."""
    api = accounting_api(tenant_id)
    call = getattr(api, operation)
    answer = require(xero_call(lambda: call(tenant_id, **args.kwargs)), kind)
    records = [to_model(record) for record in getattr(answer, kind) or []]
    if "page" not in args.kwargs:
        return local_page(records, query.page, query.page_size)
    return records, next_page(query.page, query.page_size, len(records), page_count(answer))


def record_json(
    tenant_id: str, operation: str, record_id: str, key: str, kind: str, **kwargs: Any
) -> dict[str, Any]:
    """Xero's JSON of one record (`api.<operation>(tenant_id, record_id, **kwargs)`, its
    answer's `key` list), read raw so that numbers are Decimal."""
    api = accounting_api(tenant_id)
    call = getattr(api, operation)
    body = xero_call(lambda: raw_json(call(tenant_id, record_id, _preload_content=False, **kwargs)))
    return dict(only(body.get(key), kind))
