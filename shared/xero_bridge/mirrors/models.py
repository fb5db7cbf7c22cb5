"""The mirrors API's shapes: the body of `POST …/mirrors`, a mirror with its health, its log.

Fields are snake_case, dates ISO 8601. A mirror copies the invoices (and credit notes
allocated to them) of its source organisation — the `tenantId` of the route — into
`target_tenant_id`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from xero_bridge.api_models import ApiAnswer

InvoiceType = Literal["ACCREC", "ACCPAY"]
SourceStatus = Literal["DRAFT", "SUBMITTED", "AUTHORISED", "PAID"]
DEFAULT_STATUSES: list[SourceStatus] = ["AUTHORISED", "PAID"]
Outcome = Literal["copied", "updated", "skipped", "waiting", "failed", "parked"]
HealthState = Literal["ok", "attention", "blocked", "stopped"]

TenantRef = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", max_length=64)
]
AccountCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,10}$")]
TaxType = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,50}$")]
Prefix = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^\S(.*\S)?$")]
ContactName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


class MirrorCreate(BaseModel):
    """What a new mirror copies, and how."""

    model_config = ConfigDict(extra="forbid")

    target_tenant_id: TenantRef = Field(description="The organisation copies are made in")
    types: list[InvoiceType] = Field(
        min_length=1, max_length=2, description="Which invoices: ACCREC (sales), ACCPAY (bills)"
    )
    statuses: list[SourceStatus] = Field(
        default_factory=lambda: list(DEFAULT_STATUSES),
        min_length=1,
        max_length=4,
        description="The statuses in the source that make a copy (default AUTHORISED, PAID); "
        "once copied, every change flows, voiding and deleting included",
    )
    flip_type: bool = Field(
        False, description="A sale in the source becomes a bill in the target, and back"
    )
    account_map: dict[AccountCode, AccountCode] = Field(
        default_factory=dict,
        max_length=500,
        description="Source account code → target account code; a code not in the map is "
        "kept (the target must have it)",
    )
    tax_map: dict[TaxType, TaxType] = Field(
        default_factory=dict,
        max_length=200,
        description="Source tax type → target tax type; a tax type not in the map is not "
        "sent, so the target applies its own default for the line's account",
    )
    create_missing_contacts: bool = Field(
        description="A contact the target does not have (matched by name) is created; "
        "false: the invoice waits, saying which contact is missing"
    )
    create_missing_items: bool = Field(
        description="An item code the target does not have is created from the source's "
        "item; false: the invoice waits, saying which item is missing"
    )
    backfill_from: dt.date | None = Field(
        None, description="Also copy what already exists, dated from this day on"
    )
    number_prefix: Prefix | None = Field(
        None, description="Put before the source's invoice number (kept as is without one)"
    )
    reference_prefix: Prefix | None = Field(
        None, description="Put before the source's reference (kept as is without one)"
    )
    contact_name: ContactName | None = Field(
        None,
        description="Every copy names this contact of the target instead of the source's "
        "contact (e.g. the source organisation itself, on intercompany bills)",
    )

    @field_validator("types", "statuses")
    @classmethod
    def _distinct(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("each value at most once")
        return values


class HealthOut(ApiAnswer):
    state: HealthState = Field(
        description="`ok`; `attention`: documents wait or are parked; `blocked`: a connection "
        "is missing, needs re-consent or lacks a scope; `stopped`: deleted"
    )
    problems: list[str] = Field(description="What needs a person, in words")
    waiting: int = Field(description="Documents waiting for a contact or item now")
    parked: int = Field(description="Documents that failed for good (see the log)")
    counts: dict[str, int] = Field(
        description="Outcomes so far: copied, updated, skipped, waiting, failed, parked"
    )
    last_activity_at: str | None
    last_error: str | None


class MirrorOut(ApiAnswer):
    mirror_id: str
    source_tenant_id: str
    target_tenant_id: str
    source_name: str | None
    target_name: str | None
    status: Literal["active", "deleted"]
    types: list[str]
    statuses: list[str]
    flip_type: bool
    account_map: dict[str, str]
    tax_map: dict[str, str]
    create_missing_contacts: bool
    create_missing_items: bool
    backfill_from: str | None
    number_prefix: str | None
    reference_prefix: str | None
    contact_name: str | None
    created_by: str
    created_at: str
    deleted_at: str | None
    scopes_needed: dict[str, list[str]] = Field(
        description="The Xero scopes each organisation's connection must hold for this mirror"
    )
    health: HealthOut


class MirrorListOut(ApiAnswer):
    mirrors: list[MirrorOut]
    page: str | None = None
    next_page: str | None = None


class LogEntryOut(ApiAnswer):
    at: str = Field(description="When, ISO 8601 UTC")
    outcome: Outcome
    kind: Literal["invoice", "credit_note", "allocation"]
    source_id: str | None
    source_number: str | None
    target_id: str | None
    target_number: str | None
    reason: str | None = Field(description="Why it was skipped, waits, failed or was parked")
    messages: list[str] = Field(description="Xero's own messages, when Xero refused")
    attempt: int | None
    details: dict[str, str]


class LogPageOut(ApiAnswer):
    entries: list[LogEntryOut]
    page: str | None
    next_page: str | None
