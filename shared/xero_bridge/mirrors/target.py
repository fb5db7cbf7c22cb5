"""What one batch needs to know of the target organisation: its contacts by name, its items
by code, its tracking categories — each asked of Xero once per batch, only when needed —
and the contacts and items a mirror creates there.

Names match as Xero's unique-name rule does: without regard to case or surrounding spaces,
among ACTIVE contacts (an archived contact cannot take new invoices). Item codes match
without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from xero_bridge.mirrors import xero_io
from xero_bridge.mirrors.xero_io import literal
from xero_bridge.persistence.mirrors import MirrorRecord


def name_key(name: str) -> str:
    return name.strip().casefold()


@dataclass
class Created:
    """What a creation in the target achieved: the keys made, and Xero's refusals by key."""

    made: dict[str, str] = field(default_factory=dict)  # key → id
    refused: dict[str, tuple[str, ...]] = field(default_factory=dict)


class TargetBooks:
    def __init__(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self._contacts: dict[str, str | None] = {}  # name key → contact id (None: not there)
        self._items: dict[str, bool] = {}  # code key → exists
        self._tracking: dict[str, tuple[str, dict[str, str]]] | None = None

    # ------------------------------------------------------------------ contacts
    def contact_ids(self, names: Iterable[str]) -> dict[str, str | None]:
        """Each name's ACTIVE contact id in the target (None: it has none of that name)."""
        wanted = {name_key(n): n.strip() for n in names if n and n.strip()}
        unknown = [text for key, text in wanted.items() if key not in self._contacts]
        if unknown:
            clauses = [f"Name.ToLower()=={literal(text.lower())}" for text in unknown]
            for contact in xero_io.lookup(self.tenant_id, "Contacts", clauses):
                key = name_key(str(contact.get("Name") or ""))
                if contact.get("ContactStatus", "ACTIVE") == "ACTIVE" and contact.get("ContactID"):
                    self._contacts.setdefault(key, str(contact["ContactID"]))
            for text in unknown:
                self._contacts.setdefault(name_key(text), None)
        return {key: self._contacts.get(key) for key in wanted}

    def create_contacts(self, names: Iterable[str], key: str) -> Created:
        """New contacts of these names (one call); they are known to this batch afterwards."""
        wanted = list({name_key(n): n.strip() for n in names}.values())
        created = Created()
        if not wanted:
            return created
        records = [{"Name": name} for name in wanted]
        results = xero_io.write_many(self.tenant_id, "PUT", "Contacts", records, key)
        for name, result in zip(wanted, results, strict=True):
            if result.ok and result.record.get("ContactID"):
                contact_id = str(result.record["ContactID"])
                self._contacts[name_key(name)] = contact_id
                created.made[name_key(name)] = contact_id
            else:
                created.refused[name_key(name)] = result.messages
        return created

    # ------------------------------------------------------------------ items
    def missing_items(self, codes: Iterable[str]) -> set[str]:
        """The codes the target has no item for."""
        wanted = {c.casefold(): c for c in codes if c}
        unknown = [code for key, code in wanted.items() if key not in self._items]
        if unknown:
            clauses = [f"Code=={literal(code)}" for code in unknown]
            for item in xero_io.lookup(self.tenant_id, "Items", clauses):
                self._items[str(item.get("Code") or "").casefold()] = True
            for code in unknown:
                self._items.setdefault(code.casefold(), False)
        return {code for key, code in wanted.items() if not self._items.get(key)}

    def create_items(
        self, definitions: Mapping[str, Mapping[str, Any]], mirror: MirrorRecord, key: str
    ) -> Created:
        """Items made from the source's definitions (code → its JSON), in one call."""
        created = Created()
        codes = list(definitions)
        if not codes:
            return created
        records = [item_copy(definitions[code], mirror) for code in codes]
        results = xero_io.write_many(self.tenant_id, "PUT", "Items", records, key)
        for code, result in zip(codes, results, strict=True):
            if result.ok:
                self._items[code.casefold()] = True
                created.made[code.casefold()] = str(result.record.get("ItemID") or "")
            else:
                created.refused[code.casefold()] = result.messages
        return created

    # ------------------------------------------------------------------ tracking
    def keep_tracking(self, name: str, option: str) -> tuple[str, str] | None:
        """The target's own (category, option) names for a source's, or None when it has no
        such active category or option (that tracking is left off the copy)."""
        if self._tracking is None:
            self._tracking = {}
            answer = xero_io.request(self.tenant_id, "GET", "/TrackingCategories")
            for category in answer.get("TrackingCategories") or []:
                if category.get("Status", "ACTIVE") != "ACTIVE":
                    continue
                options = {
                    name_key(str(o.get("Name"))): str(o.get("Name"))
                    for o in category.get("Options") or []
                    if o.get("Status", "ACTIVE") == "ACTIVE"
                }
                self._tracking[name_key(str(category.get("Name")))] = (
                    str(category.get("Name")),
                    options,
                )
        found = self._tracking.get(name_key(name))
        if found is None or name_key(option) not in found[1]:
            return None
        return found[0], found[1][name_key(option)]


def source_items(tenant_id: str, codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The source organisation's items of these codes (code as asked → its JSON)."""
    wanted = {c.casefold(): c for c in codes}
    if not wanted:
        return {}
    clauses = [f"Code=={literal(code)}" for code in wanted.values()]
    found = xero_io.lookup(tenant_id, "Items", clauses)
    by_key = {str(item.get("Code") or "").casefold(): item for item in found}
    return {code: by_key[key] for key, code in wanted.items() if key in by_key}


def _details(details: Any, mirror: MirrorRecord) -> dict[str, Any]:
    if not isinstance(details, dict):
        return {}
    copy: dict[str, Any] = {}
    if details.get("UnitPrice") is not None:
        copy["UnitPrice"] = details["UnitPrice"]
    code = details.get("AccountCode")
    if code:
        copy["AccountCode"] = mirror.account_map.get(code, code)
    tax_type = details.get("TaxType")
    if tax_type in mirror.tax_map:
        copy["TaxType"] = mirror.tax_map[tax_type]
    return copy


def item_copy(item: Mapping[str, Any], mirror: MirrorRecord) -> dict[str, Any]:
    """The target's item for a source item: its code, name and descriptions, prices and
    mapped accounts; sold and bought sides swapped when the mirror flips the type.
    Inventory tracking is not copied (it needs the target's own asset accounts)."""
    sales, purchases = item.get("SalesDetails"), item.get("PurchaseDetails")
    sold, bought = bool(item.get("IsSold")), bool(item.get("IsPurchased"))
    description, purchase_description = item.get("Description"), item.get("PurchaseDescription")
    if mirror.flip_type:
        sales, purchases, sold, bought = purchases, sales, bought, sold
        description, purchase_description = purchase_description, description
    copy: dict[str, Any] = {
        "Code": item.get("Code"),
        "Name": item.get("Name") or item.get("Code"),
        "IsSold": sold,
        "IsPurchased": bought,
        "SalesDetails": _details(sales, mirror),
        "PurchaseDetails": _details(purchases, mirror),
    }
    if description:
        copy["Description"] = description
    if purchase_description:
        copy["PurchaseDescription"] = purchase_description
    return copy
