"""What every records service does with Xero's answers: take the one record, or fail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xero_bridge.errors import NotFoundError, UpstreamError, ValidationFailedError


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
