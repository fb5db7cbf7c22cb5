"""The mirrors API's logic: create a mirror (checked against both organisations first), list
and show mirrors with their health, stop one, read its log.

The caller is an administrator granted both organisations (the handler checks the source;
every function here checks the target). Creating a mirror checks, before storing anything:
both organisations are connected and hold the scopes the mirror will use (`needs`); no other
active mirror copies the same invoice type between the same two; every target account code
of `account_map` and tax type of `tax_map` exists in the target. It then reads both
organisations' ShortCodes (the copies' links back to their source) and starts the backfill.
"""

from __future__ import annotations

import uuid
from typing import Any

from xero_bridge.api_models import answer_from
from xero_bridge.auth.principal import Principal
from xero_bridge.auth.tenant_access import require_tenant_access
from xero_bridge.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationFailedError,
)
from xero_bridge.mirrors import needs, xero_io
from xero_bridge.mirrors.messages import Backfill, send_backfill
from xero_bridge.mirrors.models import (
    HealthOut,
    HealthState,
    LogEntryOut,
    LogPageOut,
    MirrorCreate,
    MirrorListOut,
    MirrorOut,
)
from xero_bridge.observability import logger
from xero_bridge.persistence import mirror_log, mirrors
from xero_bridge.persistence.mirrors import COUNTED, MirrorRecord


def _organisation(tenant_id: str) -> dict[str, Any]:
    answer = xero_io.request(tenant_id, "GET", "/Organisation")
    found = answer.get("Organisations") or [{}]
    return dict(found[0])


def _unknown(tenant_id: str, plural: str, field: str, wanted: set[str]) -> list[str]:
    if not wanted:
        return []
    answer = xero_io.request(tenant_id, "GET", f"/{plural}")
    have = {str(r.get(field)) for r in answer.get(plural) or [] if r.get("Status") != "ARCHIVED"}
    return sorted(wanted - have)


def _check_maps(target_id: str, body: MirrorCreate) -> None:
    problems = [
        {"field": f"account_map.{source}", "problem": f"the target has no account {code}"}
        for code in _unknown(target_id, "Accounts", "Code", set(body.account_map.values()))
        for source, mapped in body.account_map.items()
        if mapped == code
    ]
    problems += [
        {"field": f"tax_map.{source}", "problem": f"the target has no tax type {tax}"}
        for tax in _unknown(target_id, "TaxRates", "TaxType", set(body.tax_map.values()))
        for source, mapped in body.tax_map.items()
        if mapped == tax
    ]
    if problems:
        raise ValidationFailedError("the maps name what the target organisation lacks", problems)


def _refuse_overlap(source_id: str, body: MirrorCreate) -> None:
    for other in mirrors.for_source(source_id, active_only=True):
        shared = set(other.types) & set(body.types)
        if other.target_tenant_id == body.target_tenant_id and shared:
            raise ConflictError(
                f"mirror {other.mirror_id} already copies {', '.join(sorted(shared))} "
                "between these organisations; delete it first",
                [{"mirror_id": other.mirror_id, "types": sorted(shared)}],
            )


def create_mirror(source_id: str, principal: Principal, body: MirrorCreate) -> MirrorOut:
    target_id = body.target_tenant_id
    if target_id == source_id:
        raise BadRequestError(
            "a mirror copies into another organisation",
            [{"field": "target_tenant_id", "problem": "the same as the source"}],
        )
    require_tenant_access(principal, target_id)
    needs.require(source_id, needs.SOURCE_CALLS, "source")
    calls = needs.target_calls(body.create_missing_contacts, body.create_missing_items)
    needs.require(target_id, calls, "target")
    _refuse_overlap(source_id, body)
    _check_maps(target_id, body)
    source, target = _organisation(source_id), _organisation(target_id)
    record = MirrorRecord(
        tenant_id=source_id,
        mirror_id=uuid.uuid4().hex,
        created_by=principal.sub,
        created_at=mirrors.now_iso(),
        source_short_code=source.get("ShortCode"),
        target_short_code=target.get("ShortCode"),
        source_name=source.get("Name"),
        target_name=target.get("Name"),
        **body.model_dump(mode="json", exclude_none=True),
    )
    mirrors.create(record)
    logger.info("mirror created", extra={"mirror_id": record.mirror_id, "target": target_id})
    if body.backfill_from is not None:
        page = Backfill.model_validate(
            {
                "kind": "mirror.backfill",
                "tenant_id": source_id,
                "mirror_id": record.mirror_id,
                "from": body.backfill_from,
            }
        )
        send_backfill(page)
    return mirror_out(record)


def _mine(source_id: str, mirror_id: str, principal: Principal) -> MirrorRecord:
    record = mirrors.get(source_id, mirror_id)
    if record is None:
        raise NotFoundError("no such mirror")
    require_tenant_access(principal, record.target_tenant_id)
    return record


def list_mirrors(source_id: str, principal: Principal) -> MirrorListOut:
    """The active mirrors out of this organisation into organisations the caller reaches."""
    found = []
    for record in mirrors.for_source(source_id, active_only=True):
        try:
            require_tenant_access(principal, record.target_tenant_id)
        except ForbiddenError:
            continue  # into an organisation the caller does not reach: not theirs to see
        found.append(mirror_out(record))
    return MirrorListOut(mirrors=found)


def get_mirror(source_id: str, mirror_id: str, principal: Principal) -> MirrorOut:
    return mirror_out(_mine(source_id, mirror_id, principal))


def delete_mirror(source_id: str, mirror_id: str, principal: Principal) -> None:
    """Stop copying; every copy made stays as it is."""
    _mine(source_id, mirror_id, principal)
    if mirrors.mark_deleted(source_id, mirror_id, principal.sub) is None:
        raise NotFoundError("no such active mirror")
    logger.info("mirror deleted", extra={"mirror_id": mirror_id})


def mirror_log_page(
    source_id: str,
    mirror_id: str,
    principal: Principal,
    *,
    page: str | None,
    page_size: int,
    outcome: str | None,
) -> LogPageOut:
    _mine(source_id, mirror_id, principal)
    entries, following = mirror_log.newest_first(
        mirror_id, page_size=page_size, cursor=page, outcome=outcome
    )
    return LogPageOut(
        entries=[
            LogEntryOut.model_validate(e.model_dump(exclude={"mirror_id", "entry_key"}))
            for e in entries
        ],
        page=page,
        next_page=following,
    )


# ---------------------------------------------------------------------------- answers
def _health(record: MirrorRecord) -> HealthOut:
    problems: list[str] = []
    state: HealthState
    if record.status == "deleted":
        state = "stopped"
    else:
        calls = {
            "source": needs.SOURCE_CALLS,
            "target": needs.target_calls(
                record.create_missing_contacts, record.create_missing_items
            ),
        }
        tenants = {"source": record.tenant_id, "target": record.target_tenant_id}
        for role, role_calls in calls.items():
            missing = needs.gaps(tenants[role], role_calls)
            if missing is None:
                problems.append(f"the {role} organisation is not connected (connect it again)")
            elif missing:
                scopes = ", ".join(n.scope for n in missing)
                problems.append(f"the {role} organisation's connection lacks {scopes}")
        blocked = bool(problems)
        if record.waiting > 0:
            problems.append(
                f"{record.waiting} document(s) wait for a contact or item (see the log)"
            )
        if record.parked > 0:
            problems.append(f"{record.parked} document(s) are parked after failing (see the log)")
        state = "blocked" if blocked else "attention" if problems else "ok"
    return HealthOut(
        state=state,
        problems=problems,
        waiting=max(0, record.waiting),
        parked=max(0, record.parked),
        counts={name: record.counts.get(name, 0) for name in COUNTED},
        last_activity_at=record.last_activity_at,
        last_error=record.last_error,
    )


def mirror_out(record: MirrorRecord) -> MirrorOut:
    return answer_from(
        MirrorOut,
        record,
        source_tenant_id=record.tenant_id,
        scopes_needed=needs.scopes_needed(record),
        health=_health(record),
    )
