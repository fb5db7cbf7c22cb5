"""Mirrors (the Mirrors table): what a mirror copies, from which organisation into which, and
how it has been doing.

Key (``tenant_id`` = the source organisation, ``mirror_id``): the mirror worker finds the
mirrors of an organisation whose invoice changed with one Query. A deleted mirror keeps its
item (``status`` ``deleted``), so its log and what it copied stay explainable.

Health is kept as counters: ``counts`` (copied, updated, skipped, failed, parked: every
outcome so far) and two gauges, ``waiting`` and ``parked`` (documents in that state now),
moved by each batch with one UpdateItem (`record_activity`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from boto3.dynamodb.conditions import Attr, Key
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.dynamodb import (
    compact,
    conditional_write,
    get_item,
    query_all,
    table,
    update_arguments,
)
from xero_bridge.settings import get_settings

MirrorStatus = Literal["active", "deleted"]
COUNTED = ("copied", "updated", "skipped", "waiting", "failed", "parked")


class MirrorRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tenant_id: str = Field(min_length=1, description="The source organisation")
    mirror_id: str = Field(min_length=1)
    target_tenant_id: str = Field(min_length=1)
    types: list[str]
    statuses: list[str]
    flip_type: bool = False
    account_map: dict[str, str] = Field(default_factory=dict)
    tax_map: dict[str, str] = Field(default_factory=dict)
    create_missing_contacts: bool = False
    create_missing_items: bool = False
    backfill_from: str | None = None  # ISO date
    number_prefix: str | None = None
    reference_prefix: str | None = None
    contact_name: str | None = None
    source_short_code: str | None = None  # Xero's ShortCode of each organisation (deep links)
    target_short_code: str | None = None
    source_name: str | None = None
    target_name: str | None = None
    status: MirrorStatus = "active"
    created_by: str
    created_at: str
    deleted_by: str | None = None
    deleted_at: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    waiting: int = 0
    parked: int = 0
    last_activity_at: str | None = None
    last_error: str | None = None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _table() -> Any:
    return table(get_settings().required("mirrors_table"))


def _item(record: MirrorRecord) -> dict[str, Any]:
    item = record.model_dump(mode="python", exclude={"counts"})
    item.update({f"count_{name}": n for name, n in record.counts.items()})
    return compact(item)


def _record(item: Mapping[str, Any]) -> MirrorRecord:
    values = dict(item)
    for name in ("waiting", "parked"):
        values[name] = int(values.get(name) or 0)
    # Counters are top-level numbers (`count_copied`…): ADD needs no map to exist first.
    values["counts"] = {name: int(values.get(f"count_{name}") or 0) for name in COUNTED}
    return MirrorRecord.model_validate(values)


def create(record: MirrorRecord) -> None:
    """Store a new mirror (its id is new: an existing one is never overwritten)."""
    _table().put_item(Item=_item(record), ConditionExpression="attribute_not_exists(mirror_id)")


def get(tenant_id: str, mirror_id: str) -> MirrorRecord | None:
    item = get_item(_table(), {"tenant_id": tenant_id, "mirror_id": mirror_id})
    return _record(item) if item else None


def for_source(tenant_id: str, *, active_only: bool = False) -> list[MirrorRecord]:
    """The mirrors copying out of `tenant_id`, oldest first."""
    items = query_all(
        _table(), KeyConditionExpression=Key("tenant_id").eq(tenant_id), ConsistentRead=True
    )
    records = sorted((_record(i) for i in items), key=lambda r: (r.created_at, r.mirror_id))
    return [r for r in records if r.status == "active"] if active_only else records


def mark_deleted(tenant_id: str, mirror_id: str, deleted_by: str) -> MirrorRecord | None:
    """Stop an active mirror; the stopped record, or None if it was not active."""
    arguments = update_arguments(
        set={"status": "deleted", "deleted_by": deleted_by, "deleted_at": now_iso()}
    )
    outcome = conditional_write(
        _table().update_item,
        Key={"tenant_id": tenant_id, "mirror_id": mirror_id},
        ConditionExpression=Attr("status").eq("active"),
        ReturnValues="ALL_NEW",
        **arguments,
    )
    return _record(outcome.attributes or {}) if outcome.written else None


def record_activity(
    tenant_id: str,
    mirror_id: str,
    counts: Mapping[str, int],
    gauges: Mapping[str, int],
    last_error: str | None,
) -> None:
    """Add one batch's outcomes to the counters and move the waiting/parked gauges."""
    adds: dict[str, int] = {f"count_{name}": n for name, n in counts.items() if n}
    adds.update({name: n for name, n in gauges.items() if n and name in ("waiting", "parked")})
    sets: dict[str, Any] = {"last_activity_at": now_iso()}
    if last_error:
        sets["last_error"] = last_error[:1000]
    _table().update_item(
        Key={"tenant_id": tenant_id, "mirror_id": mirror_id},
        ConditionExpression=Attr("mirror_id").exists(),
        **update_arguments(set=sets, add=adds or None),
    )
