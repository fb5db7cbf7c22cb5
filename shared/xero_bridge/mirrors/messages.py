"""What arrives on the mirror queue, and what the mirrors put on it themselves.

- A change: the EventBridge event of the webhook worker (`xero.invoice.created|updated`,
  `xero.credit_note.…`), as the rule delivers it: the whole event, its `detail` naming the
  tenant, category, resource and `change_id`.
- A backfill page: `{"kind": "mirror.backfill", tenant_id, mirror_id, category, from, page}`
  (the mirrors API sends the first one; each full page sends the next).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xero_bridge.aws import queue
from xero_bridge.settings import get_settings

BACKFILL = "mirror.backfill"
CATEGORIES = ("INVOICE", "CREDITNOTE")


class ChangeDetail(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tenant_id: str = Field(min_length=1, max_length=64)
    category: Literal["INVOICE", "CREDITNOTE"]
    resource_id: str = Field(min_length=1, max_length=64)
    change_id: str | None = None


class Backfill(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: Literal["mirror.backfill"]
    tenant_id: str = Field(min_length=1, max_length=64)
    mirror_id: str = Field(min_length=1, max_length=64)
    category: Literal["INVOICE", "CREDITNOTE"] = "INVOICE"
    from_date: date = Field(alias="from")
    page: int = Field(1, ge=1)

    def following(self) -> Backfill:
        """The next page; after the invoices' last page, the credit notes' first."""
        return self.model_copy(update={"page": self.page + 1})

    def credit_notes(self) -> Backfill:
        return self.model_copy(update={"category": "CREDITNOTE", "page": 1})

    def body(self) -> str:
        return self.model_dump_json(by_alias=True)


@dataclass(frozen=True)
class QueueMessage:
    message_id: str
    receipt_handle: str
    body: str
    receive_count: int


@dataclass(frozen=True)
class Parsed:
    message: QueueMessage
    change: ChangeDetail | None = None
    backfill: Backfill | None = None


def parse(message: QueueMessage) -> Parsed:
    """What the message asks; ValueError when it is neither a change nor a backfill page."""
    try:
        data: Any = json.loads(message.body)
    except ValueError as exc:
        raise ValueError("not JSON") from exc
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    try:
        if data.get("kind") == BACKFILL:
            return Parsed(message, backfill=Backfill.model_validate(data))
        return Parsed(message, change=ChangeDetail.model_validate(data.get("detail")))
    except ValidationError as exc:
        raise ValueError(str(exc)) from exc


def send_backfill(page: Backfill, delay_seconds: int = 0) -> None:
    queue.send(get_settings().required("mirror_queue_url"), page.body(), None, delay_seconds)


def requeue(message: QueueMessage, delay_seconds: int) -> None:
    """A fresh copy of a message that waits (not fails): its receive count starts again."""
    queue.send(get_settings().required("mirror_queue_url"), message.body, None, delay_seconds)


def delay(message: QueueMessage, seconds: int) -> None:
    queue.change_visibility(
        get_settings().required("mirror_queue_url"), message.receipt_handle, seconds
    )
