"""How resources go over the wire: timestamps, public fields, list filters and cursors."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from .errors import FieldErrors
from .ids import new_id
from .store import Record

Getter = Callable[[Record], Any]


def iso(ts: float) -> str:
    """GoCardless's timestamps: UTC with milliseconds, e.g. 2014-01-01T12:00:00.000Z."""
    moment = datetime.fromtimestamp(ts, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> float | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def new_resource(kind: str, now: float, fields: Record) -> Record:
    """A new `kind` record: a fresh id, created now, then `fields` in the order given."""
    return {"id": new_id(kind), "created_at": iso(now), **fields, "_created": now}


def no_fx() -> Record:
    """The `fx` of a payment or refund collected in the creditor's own currency."""
    return {
        "fx_currency": None,
        "fx_amount": None,
        "exchange_rate": None,
        "estimated_exchange_rate": None,
    }


def public(record: Record) -> Record:
    """The record without the simulator's bookkeeping (keys starting with "_")."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def link(name: str) -> Getter:
    return lambda record: (record.get("links") or {}).get(name)


def field(name: str) -> Getter:
    return lambda record: record.get(name)


def exact_filters(fields: tuple[str, ...] = (), links: tuple[str, ...] = ()) -> dict[str, Getter]:
    """List filters that a query parameter matches exactly: on a field of the record
    (`status=failed`) or on one of its links (`mandate=MD…`)."""
    return {**{name: field(name) for name in fields}, **{name: link(name) for name in links}}


COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def filter_records(
    kind: str,
    records: list[Record],
    args: Mapping[str, str],
    equals: Mapping[str, Getter],
    choices: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Record]:
    """Applies the list filters GoCardless documents: exact matches (`status=failed`,
    `mandate=MD…`, comma-separated for status) and `created_at[gt|gte|lt|lte]`."""
    errors = FieldErrors(kind)
    result = records
    for name, getter in equals.items():
        value = args.get(name)
        if value is None:
            continue
        wanted = set(value.split(",")) if name == "status" else {value}
        allowed = (choices or {}).get(name)
        if allowed and not wanted <= set(allowed):
            errors.add(name, "is invalid")
            continue
        result = [r for r in result if getter(r) in wanted]
    for op, compare in COMPARISONS.items():
        value = args.get(f"created_at[{op}]")
        if value is None:
            continue
        bound = parse_iso(value)
        if bound is None:
            errors.add("created_at", "is not a valid timestamp")
            continue
        result = [r for r in result if compare(r["_created"], bound)]
    errors.raise_if_any()
    return result


def paginate(
    kind: str, records: list[Record], args: Mapping[str, str], default: int, maximum: int
) -> dict[str, Any]:
    """Newest first, `limit` per page, cursors are record ids (`after` older, `before` newer)."""
    errors = FieldErrors(kind)
    limit = default
    raw_limit = args.get("limit")
    if raw_limit is not None:
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= maximum:
            errors.add("limit", f"must be a number between 1 and {maximum}")
        else:
            limit = int(raw_limit)
    newest_first = list(reversed(records))
    ids = [r["id"] for r in newest_first]
    start, stop = 0, len(newest_first)
    if args.get("after"):
        if args["after"] not in ids:
            errors.add("after", "is not a valid cursor")
        else:
            start = ids.index(args["after"]) + 1
    if args.get("before"):
        if args["before"] not in ids:
            errors.add("before", "is not a valid cursor")
        else:
            stop = ids.index(args["before"])
    errors.raise_if_any()
    if args.get("before") and not args.get("after"):
        start = max(0, stop - limit)
    page = newest_first[start : min(stop, start + limit)]
    end = start + len(page)
    return {
        kind: [public(r) for r in page],
        "meta": {
            "cursors": {
                "before": page[0]["id"] if page and start > 0 else None,
                "after": page[-1]["id"] if page and end < len(newest_first) else None,
            },
            "limit": limit,
        },
    }
