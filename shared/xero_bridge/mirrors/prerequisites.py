"""What a copy needs to exist in the target first: its contact (by name) and its items (by
code). Missing ones are created when the mirror says so — all of a batch's in one call each
— or the document waits, saying exactly what is missing and how to resolve it.
"""

from __future__ import annotations

from xero_bridge.mirrors import xero_io
from xero_bridge.mirrors.runs import MirrorRun, Plan
from xero_bridge.mirrors.target import name_key, source_items


def _target_name(run: MirrorRun) -> str:
    return run.mirror.target_name or "the target organisation"


def resolve(run: MirrorRun, plans: list[Plan]) -> list[Plan]:
    """The plans whose contact and items exist in the target (each with `contact_id`);
    the others are settled as waiting or refused."""
    needing = [p for p in plans if not (p.target_id and p.draft.ended)]
    ready = [p for p in plans if p.target_id and p.draft.ended]
    needing = _contacts(run, needing)
    needing = _items(run, needing)
    return ready + needing


def _contacts(run: MirrorRun, plans: list[Plan]) -> list[Plan]:
    unnamed = [p for p in plans if not p.draft.contact_name]
    for plan in unnamed:
        run.refused(plan, ["the source document names no contact"], "no contact to match")
    plans = [p for p in plans if p.draft.contact_name]
    found = run.target.contact_ids(p.draft.contact_name for p in plans)
    names = {p.draft.contact_name for p in plans}
    missing = sorted(name for name in names if not found.get(name_key(name)))
    refused: dict[str, tuple[str, ...]] = {}
    if missing and run.mirror.create_missing_contacts:
        key = xero_io.idempotency_key(run.mirror.mirror_id, "contacts", *missing)
        created = run.target.create_contacts(missing, key)
        found.update(created.made)
        refused = created.refused
    ready = []
    for plan in plans:
        key = name_key(plan.draft.contact_name)
        plan.contact_id = found.get(key)
        if plan.contact_id:
            ready.append(plan)
        elif key in refused:
            reason = f"the contact '{plan.draft.contact_name}' could not be created"
            run.refused(plan, refused[key], reason)
        else:
            run.waiting(
                plan,
                f"waits for the contact '{plan.draft.contact_name}', which "
                f"{_target_name(run)} does not have: create it there, or let the mirror "
                "create missing contacts",
            )
    return ready


def _items(run: MirrorRun, plans: list[Plan]) -> list[Plan]:
    codes = sorted({code for p in plans for code in p.draft.item_codes})
    if not codes:
        return plans
    missing = run.target.missing_items(codes)
    refused: dict[str, tuple[str, ...]] = {}
    if missing and run.mirror.create_missing_items:
        definitions = source_items(run.mirror.tenant_id, missing)
        for code in missing - set(definitions):
            refused[code.casefold()] = ("the source organisation has no item of that code",)
        key = xero_io.idempotency_key(run.mirror.mirror_id, "items", *sorted(definitions))
        created = run.target.create_items(definitions, run.mirror, key)
        refused.update(created.refused)
        missing = {code for code in missing if code.casefold() not in created.made}
    ready = []
    for plan in plans:
        lacking = sorted(code for code in plan.draft.item_codes if code in missing)
        if not lacking:
            ready.append(plan)
            continue
        failed = [c for c in lacking if c.casefold() in refused]
        if failed:
            messages = [m for c in failed for m in refused[c.casefold()]]
            run.refused(plan, messages, f"the item {', '.join(failed)} could not be created")
        else:
            run.waiting(
                plan,
                f"waits for the item {', '.join(lacking)}, which {_target_name(run)} does not "
                "have: create it there, or let the mirror create missing items",
            )
    return ready
