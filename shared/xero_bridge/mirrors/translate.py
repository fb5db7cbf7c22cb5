"""What a copy of a source document looks like in the target organisation (pure functions).

A copy keeps the document's meaning and drops everything that belongs to the source
organisation: line items lose `LineItemID`, `TaxType` and `TaxAmount` (and `LineAmount`,
which the target computes from quantity, unit amount and discount); they keep description,
quantity, unit amount (exact decimals), item code and discount, the account code mapped
through `account_map` (kept when not in it), the tax type mapped through `tax_map` (left
out when not in it, so the target applies its own default for the account), and their
tracking — as far as the target has the same category and option (`with_tracking`). The
contact becomes the target's contact of the same name, by `ContactID` only. Number and
reference are kept, or prefixed; currency, dates and line amount types are kept. The
`Url` links back to the source (`markers`).

`CopyDraft.digest` is a hash of everything above as the source and the mirror's settings
make it: the same document copied again gives the same digest, so an unchanged document
(a replayed event, a payment or allocation in the source) is never written twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xero_bridge.mirrors.markers import source_link
from xero_bridge.persistence.mirrors import MirrorRecord
from xero_bridge.xero.dates import parse_xero_date

FLIPPED = {"ACCREC": "ACCPAY", "ACCPAY": "ACCREC"}
CREDIT_TYPES = {"ACCRECCREDIT": "ACCREC", "ACCPAYCREDIT": "ACCPAY"}
CREDIT_OF = {side: credit for credit, side in CREDIT_TYPES.items()}
# The source's status → the copy's. Payments are not mirrored: a paid invoice is an approved
# one in the target (its credit notes are allocated there, which may pay it there too).
INVOICE_STATUS = {
    "DRAFT": "DRAFT",
    "SUBMITTED": "SUBMITTED",
    "AUTHORISED": "AUTHORISED",
    "PAID": "AUTHORISED",
    "VOIDED": "VOIDED",
    "DELETED": "DELETED",
}
ENDED = ("VOIDED", "DELETED")
_LINE_KEPT = ("Description", "Quantity", "UnitAmount", "ItemCode")
_DISCOUNTS = ("DiscountRate", "DiscountAmount")

TrackingFilter = Callable[[str, str], tuple[str, str] | None]


@dataclass(frozen=True)
class DraftLine:
    fields: Mapping[str, Any]
    tracking: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CopyDraft:
    kind: str  # "invoice" | "credit_note"
    source_id: str
    source_type: str  # ACCREC | ACCPAY (the side, for credit notes too)
    target_type: str  # Xero's Type of the copy (ACCPAY, ACCRECCREDIT…)
    source_status: str
    target_status: str
    contact_name: str
    header: Mapping[str, Any]
    lines: tuple[DraftLine, ...]
    source_number: str | None
    source_total: Decimal | None
    currency: str | None
    digest: str = field(default="")

    @property
    def ended(self) -> bool:
        return self.target_status in ENDED

    @property
    def item_codes(self) -> set[str]:
        return {str(line.fields["ItemCode"]) for line in self.lines if line.fields.get("ItemCode")}

    @property
    def tracked(self) -> bool:
        return any(line.tracking for line in self.lines)

    def payload(self, contact_id: str, keep_tracking: TrackingFilter) -> dict[str, Any]:
        """The document to send the target, for a contact id found there."""
        lines = []
        for line in self.lines:
            body = dict(line.fields)
            tracking = [kept for t in line.tracking if (kept := keep_tracking(*t)) is not None]
            if tracking:
                body["Tracking"] = [{"Name": name, "Option": option} for name, option in tracking]
            lines.append(body)
        return {**self.header, "Contact": {"ContactID": contact_id}, "LineItems": lines}


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _prefixed(prefix: str | None, value: Any) -> str | None:
    text = _text(value)
    return f"{prefix}{text}" if text and prefix else text


def _iso_date(value: Any) -> str | None:
    day = parse_xero_date(value)
    return day.isoformat() if day else None


def _line(raw: Mapping[str, Any], mirror: MirrorRecord) -> DraftLine:
    fields: dict[str, Any] = {k: raw[k] for k in _LINE_KEPT if raw.get(k) not in (None, "")}
    code = _text(raw.get("AccountCode"))
    if code:
        fields["AccountCode"] = mirror.account_map.get(code, code)
    tax_type = _text(raw.get("TaxType"))
    if tax_type and tax_type in mirror.tax_map:
        fields["TaxType"] = mirror.tax_map[tax_type]
    for name in _DISCOUNTS:
        if raw.get(name):
            fields[name] = raw[name]
    tracking = tuple(
        (str(t.get("Name")), str(t.get("Option")))
        for t in raw.get("Tracking") or []
        if isinstance(t, dict) and _text(t.get("Name")) and _text(t.get("Option"))
    )
    return DraftLine(fields, tracking)


def _digest(draft: CopyDraft) -> str:
    canonical = {
        "header": draft.header,
        "contact": draft.contact_name,
        "lines": [{"fields": line.fields, "tracking": line.tracking} for line in draft.lines],
    }
    text = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _header(source: Mapping[str, Any], mirror: MirrorRecord, number_field: str) -> dict[str, Any]:
    header: dict[str, Any] = {
        "Date": _iso_date(source.get("Date")),
        "LineAmountTypes": source.get("LineAmountTypes"),
        "CurrencyCode": source.get("CurrencyCode"),
        number_field: _prefixed(mirror.number_prefix, source.get(number_field)),
        "Reference": _prefixed(mirror.reference_prefix, source.get("Reference")),
    }
    return header


def invoice_draft(source: Mapping[str, Any], mirror: MirrorRecord) -> CopyDraft:
    """The copy of a source invoice (or bill)."""
    source_type = str(source.get("Type"))
    target_type = FLIPPED[source_type] if mirror.flip_type else source_type
    status = str(source.get("Status"))
    header = _header(source, mirror, "InvoiceNumber")
    header.update(
        Type=target_type,
        Status=INVOICE_STATUS.get(status, status),
        DueDate=_iso_date(source.get("DueDate")),
        Url=source_link(mirror.source_short_code or "", source_type, str(source["InvoiceID"])),
    )
    return _finished(source, mirror, "invoice", source_type, target_type, header, "InvoiceNumber")


def credit_note_draft(source: Mapping[str, Any], mirror: MirrorRecord) -> CopyDraft:
    """The copy of a source credit note: approved, so it can be allocated in the target."""
    credit_type = str(source.get("Type"))
    side = CREDIT_TYPES[credit_type]
    target_side = FLIPPED[side] if mirror.flip_type else side
    status = str(source.get("Status"))
    header = _header(source, mirror, "CreditNoteNumber")
    header.update(Type=CREDIT_OF[target_side], Status=status if status in ENDED else "AUTHORISED")
    return _finished(
        source, mirror, "credit_note", side, CREDIT_OF[target_side], header, "CreditNoteNumber"
    )


def _finished(
    source: Mapping[str, Any],
    mirror: MirrorRecord,
    kind: str,
    side: str,
    target_type: str,
    header: dict[str, Any],
    number_field: str,
) -> CopyDraft:
    contact = source.get("Contact") or {}
    total = source.get("Total")
    draft = CopyDraft(
        kind=kind,
        source_id=str(source.get("InvoiceID") or source.get("CreditNoteID")),
        source_type=side,
        target_type=target_type,
        source_status=str(source.get("Status")),
        target_status=str(header["Status"]),
        contact_name=mirror.contact_name or str(contact.get("Name") or "").strip(),
        header={k: v for k, v in header.items() if v is not None},
        lines=tuple(_line(line, mirror) for line in source.get("LineItems") or []),
        source_number=_text(source.get(number_field)),
        source_total=total if isinstance(total, Decimal) else None,
        currency=_text(source.get("CurrencyCode")),
    )
    return CopyDraft(**{**draft.__dict__, "digest": _digest(draft)})


def status_only(target_id_field: str, target_id: str, status: str) -> dict[str, Any]:
    """The write that voids or deletes a copy (nothing else changes)."""
    return {target_id_field: target_id, "Status": status}
