"""What every mirrored document became (the MirrorLinks table): the mapping that makes each
step happen once.

Two kinds of item:

- a **link** per source document and organisation pair: key (``pair`` = "<source
  tenant>#<target tenant>", ``ref`` = "INVOICE#<source id>" | "CREDITNOTE#<id>" |
  "ALLOCATION#<id>"): the copy's id in the target, the digest of what was last written to it,
  its state, and while a worker writes it, that worker's claim (``owner``, ``lease_until``).
  Keyed by the pair, not the mirror: a mirror deleted and created again finds its copies.
- a **copy marker** per copy: key (``pair`` = "copies#<target tenant>", ``ref`` =
  "INVOICE#<copy id>"): "this document was made by a mirror" — a mirror out of that
  organisation never copies it back.

States: ``copied`` (the copy exists; ``digest`` says of what), ``waiting`` (a contact or item
is missing in the target), ``parked`` (failed for good, with Xero's messages), ``skipped``.
``attempt_at`` is set while a create may have reached Xero without our knowing its answer:
whoever finds it set looks for the copy in the target before creating it again.

The data cannot be rebuilt from anything else (point-in-time recovery is on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from boto3.dynamodb.conditions import Attr
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.dynamodb import (
    batch_get,
    compact,
    conditional_write,
    table,
    update_arguments,
)
from xero_bridge.settings import get_settings

LinkState = Literal["copied", "waiting", "parked", "skipped"]


class Link(BaseModel):
    model_config = ConfigDict(extra="ignore")

    pair: str
    ref: str
    mirror_id: str | None = None
    source_id: str | None = None
    source_number: str | None = None
    target_id: str | None = None
    target_number: str | None = None
    state: LinkState | None = None
    digest: str | None = None
    source_version: int | None = None
    reason: str | None = None
    parked_for: Literal["refused", "failing"] | None = None
    messages: list[str] = Field(default_factory=list)
    attempt_at: str | None = None
    attempts: int = 0
    owner: str | None = None
    lease_until: int | None = None
    updated_at: str | None = None


def pair_key(source_tenant_id: str, target_tenant_id: str) -> str:
    return f"{source_tenant_id}#{target_tenant_id}"


def ref_key(kind: str, source_id: str) -> str:
    return f"{kind.upper()}#{source_id.lower()}"


def marker_pair(target_tenant_id: str) -> str:
    return f"copies#{target_tenant_id}"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _table() -> Any:
    return table(get_settings().required("mirror_links_table"))


def _link(item: Mapping[str, Any]) -> Link:
    values = dict(item)
    for name in ("source_version", "lease_until", "attempts"):
        if values.get(name) is not None:
            values[name] = int(values[name])
    return Link.model_validate(values)


def _batch_get(keys: list[dict[str, str]]) -> list[dict[str, Any]]:
    return batch_get(_table(), keys, ConsistentRead=True)


def get_links(pair: str, refs: Iterable[str]) -> dict[str, Link]:
    """The links of `refs` that exist, by ref."""
    keys = [{"pair": pair, "ref": ref} for ref in dict.fromkeys(refs)]
    return {item["ref"]: _link(item) for item in _batch_get(keys)}


def copies_among(tenant_id: str, kind: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Which of `ids` (documents of `tenant_id`) a mirror made: id → its copy marker."""
    keys = [{"pair": marker_pair(tenant_id), "ref": ref_key(kind, i)} for i in dict.fromkeys(ids)]
    return {str(item["ref"]).split("#", 1)[1]: item for item in _batch_get(keys)}


@dataclass(frozen=True)
class Claim:
    """`claimed`: ours to write, with the link as it was; else another worker holds it until
    `busy_until`."""

    claimed: bool
    link: Link | None
    busy_until: int = 0


def claim(
    pair: str, ref: str, owner: str, now: float, lease_seconds: int, *, creating: bool, **ids: str
) -> Claim:
    """Take the link for a write (creating one if none), unless another worker's claim is
    live. `creating`: a create is about to be sent, so `attempt_at` is set until the answer
    is recorded."""
    sets: dict[str, Any] = {"owner": owner, "lease_until": int(now) + lease_seconds, **ids}
    if creating:
        sets["attempt_at"] = now_iso()
    outcome = conditional_write(
        _table().update_item,
        Key={"pair": pair, "ref": ref},
        ConditionExpression=(
            Attr("owner").not_exists() | Attr("lease_until").lt(int(now)) | Attr("owner").eq(owner)
        ),
        ReturnValues="ALL_OLD",
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
        **update_arguments(set=sets, add={"attempts": 1} if creating else None),
    )
    if not outcome.written:
        current = outcome.current or {}
        return Claim(False, None, int(current.get("lease_until") or now))
    old = outcome.attributes
    return Claim(True, _link(old) if old else None)


def finish(
    pair: str, ref: str, owner: str, sets: Mapping[str, Any], *, done_sending: bool = True
) -> bool:
    """Record the outcome of a claimed write and let go of the claim; False when our claim
    had lapsed and another worker took the link over (its outcome stands)."""
    removes = ["owner", "lease_until"]
    if done_sending:
        removes.append("attempt_at")
    return _update_claimed(pair, ref, owner, sets, removes)


def note(pair: str, ref: str, owner: str, sets: Mapping[str, Any]) -> bool:
    """Record part of a claimed write's outcome (a copy made before its allocations are)
    and keep the claim; False when the claim had lapsed."""
    return _update_claimed(pair, ref, owner, sets, [])


def _update_claimed(
    pair: str, ref: str, owner: str, sets: Mapping[str, Any], removes: list[str]
) -> bool:
    """Set `sets` (and the time) on a link `owner` still holds, removing `removes` unless
    set; False when the claim had lapsed."""
    values = {**sets, "updated_at": now_iso()}
    return conditional_write(
        _table().update_item,
        Key={"pair": pair, "ref": ref},
        ConditionExpression=Attr("owner").eq(owner),
        **update_arguments(set=values, remove=[r for r in removes if r not in values]),
    ).written


def put_link(pair: str, ref: str, sets: Mapping[str, Any]) -> None:
    """A link written whole, by the holder of its parent's claim (an allocation's, under its
    credit note's)."""
    item = {**sets, "pair": pair, "ref": ref, "updated_at": now_iso()}
    _table().put_item(Item=compact(item))


def release(pair: str, ref: str, owner: str) -> None:
    """Give a claim back without an outcome (the write will be tried again)."""
    finish(pair, ref, owner, {}, done_sending=False)


def put_markers(markers: Sequence[Mapping[str, Any]]) -> None:
    """Copy markers: each {target_tenant_id, kind, target_id, source_tenant_id, source_id,
    mirror_id} says the target document is a copy (25 writes per call)."""
    with _table().batch_writer(overwrite_by_pkeys=["pair", "ref"]) as batch:
        for marker in markers:
            batch.put_item(
                Item={
                    "pair": marker_pair(str(marker["target_tenant_id"])),
                    "ref": ref_key(str(marker["kind"]), str(marker["target_id"])),
                    "source_tenant_id": marker["source_tenant_id"],
                    "source_id": marker["source_id"],
                    "mirror_id": marker["mirror_id"],
                    "created_at": now_iso(),
                }
            )
