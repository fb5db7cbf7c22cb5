"""GET list options shared by every resource: IDs, where, If-Modified-Since, order, paging."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from werkzeug.datastructures import Headers, MultiDict

from ..wire import parse_datetime
from .where import WhereError, parse_where

Record = dict[str, Any]
DEFAULT_PAGE_SIZE = 100


class QueryError(ValueError):
    pass


def modified_since(headers: Headers) -> datetime | None:
    raw = headers.get("If-Modified-Since")
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(raw)
        except (TypeError, ValueError) as exc:
            raise QueryError(f"If-Modified-Since {raw!r} is not a date") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _csv(args: MultiDict[str, str], name: str) -> list[str]:
    # Query parameter names are case-insensitive at Xero (IDs, ids, Ids).
    for key in args:
        if key.lower() == name.lower():
            return [v.strip() for v in args[key].split(",") if v.strip()]
    return []


def apply_list_query(
    records: Iterable[Record],
    args: MultiDict[str, str],
    headers: Headers,
    id_field: str,
    max_page_size: int = 1000,
    extra_filters: dict[str, str] | None = None,
) -> tuple[list[Record], dict[str, int] | None]:
    """Filters, orders and pages ``records``; returns them and the pagination block (if paged)."""
    result = list(records)
    ids = {i.lower() for i in _csv(args, "IDs")}
    if ids:
        result = [r for r in result if str(r.get(id_field, "")).lower() in ids]
    for param, field_name in (extra_filters or {}).items():
        wanted = {v.lower() for v in _csv(args, param)}
        if wanted:
            result = [r for r in result if _field(r, field_name).lower() in wanted]
    since = modified_since(headers)
    if since is not None:
        result = [r for r in result if r.get("UpdatedDateUTC") and r["UpdatedDateUTC"] > since]
    where = args.get("where")
    if where:
        try:
            predicate = parse_where(where)
        except WhereError as exc:
            raise QueryError(str(exc)) from exc
        result = [r for r in result if predicate(r)]
    result = _order(result, args.get("order"))
    page_text = args.get("page")
    if not page_text:
        return result, None
    try:
        page = max(int(page_text), 1)
        size = int(args.get("pageSize") or DEFAULT_PAGE_SIZE)
    except ValueError as exc:
        raise QueryError("page and pageSize must be whole numbers") from exc
    size = min(max(size, 1), max_page_size)
    count = len(result)
    pagination = {
        "page": page,
        "pageSize": size,
        "pageCount": math.ceil(count / size),
        "itemCount": count,
    }
    return result[(page - 1) * size : page * size], pagination


def _field(record: Record, dotted: str) -> str:
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return str(value or "")


def _order(records: list[Record], order: str | None) -> list[Record]:
    if not order:
        return records
    # Stable sorts from the last key to the first give a multi-key order.
    for clause in reversed([c.strip() for c in order.split(",") if c.strip()]):
        parts = clause.split()
        field_name = parts[0]
        descending = len(parts) > 1 and parts[1].upper() == "DESC"
        present = [r for r in records if _raw(r, field_name) is not None]
        missing = [r for r in records if _raw(r, field_name) is None]
        present.sort(key=lambda r: _raw(r, field_name), reverse=descending)
        records = present + missing
    return records


def _raw(record: Record, dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, datetime):
        return value.timestamp()
    if hasattr(value, "toordinal") and not isinstance(value, datetime):
        return value.toordinal() * 86400.0
    return value
