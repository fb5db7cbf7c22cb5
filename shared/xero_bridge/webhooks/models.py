"""Xero's webhook payload (xero-webhooks.yaml) and what the worker needs of it.

Parsing is lenient about what Xero may add (extra fields are kept out, not refused) and
strict about what the worker relies on: a tenant, a category, a resource id and a date.
"""

from __future__ import annotations

import base64
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["INVOICE", "CONTACT", "CREDITNOTE", "SUBSCRIPTION"]


class WebhookEvent(BaseModel):
    """One change Xero tells us about (never the data itself)."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    resource_url: str = Field("", alias="resourceUrl")
    resource_id: str = Field(..., alias="resourceId", min_length=1, max_length=64)
    event_date_utc: str = Field(..., alias="eventDateUtc", min_length=1, max_length=40)
    event_type: str = Field(..., alias="eventType", min_length=1, max_length=32)
    event_category: str = Field(..., alias="eventCategory", min_length=1, max_length=32)
    tenant_id: str = Field(..., alias="tenantId", min_length=1, max_length=64)
    tenant_type: str = Field("ORGANISATION", alias="tenantType")
    data: dict[str, Any] | None = None  # credit-note events carry Type and Status

    @property
    def identity(self) -> str:
        """What makes two events the same change: a redelivery repeats all of these."""
        return "#".join(
            (
                self.tenant_id,
                self.event_category.upper(),
                self.resource_id.lower(),
                self.event_type.upper(),
                self.event_date_utc,
            )
        )

    @property
    def category(self) -> str:
        return self.event_category.upper()


class WebhookDelivery(BaseModel):
    """One POST from Xero: a batch of events with sequence numbers."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    events: list[WebhookEvent] = Field(default_factory=list)
    first_event_sequence: int | None = Field(None, alias="firstEventSequence")
    last_event_sequence: int | None = Field(None, alias="lastEventSequence")
    entropy: str | None = None


class QueuedMessage(BaseModel):
    """An SQS message as the worker sees it: the delivery body and how often it was tried."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    receipt_handle: str
    body: str
    body_encoding: str = "identity"  # "base64" when intake had to encode non-UTF-8 bytes
    receive_count: int = 1

    def raw_body(self) -> bytes:
        """The delivery's bytes exactly as Xero sent them."""
        if self.body_encoding == "base64":
            return base64.b64decode(self.body)
        return self.body.encode("utf-8")

    def delivery(self) -> WebhookDelivery:
        """The parsed delivery; raises ValueError (pydantic's) when it is not one."""
        return WebhookDelivery.model_validate_json(self.raw_body())
