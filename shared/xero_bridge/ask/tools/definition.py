"""What a tool is: its arguments model (whose JSON schema the model sees), what it returns
(a compact summary and the records it read), and how it says it could not answer.

Also the argument pieces several tools share (an id pattern, a date range), so their
schemas read the same wherever they appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from xero_bridge.ask.source import BooksSource

GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class ToolError(Exception):
    """A tool could not answer (bad arguments, data unavailable): told to the model."""


@dataclass(frozen=True)
class SourceRecord:
    type: str  # organisation | invoice | bill | contact | payment | account | report
    id: str
    label: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"type": self.type, "id": self.id}
        if self.label:
            out["label"] = self.label
        return out


@dataclass
class ToolResult:
    data: dict[str, Any]
    records: list[SourceRecord] = field(default_factory=list)


@dataclass(frozen=True)
class ToolContext:
    today: date


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args: type[Args]
    run: Callable[[BooksSource, Any, ToolContext], ToolResult]

    def schema(self) -> dict[str, Any]:
        """The OpenAI `tools` entry (type function) for this tool."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": _clean_schema(self.args.model_json_schema()),
            },
        }


def _clean_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop pydantic's titles (noise in the prompt); keep types, enums, bounds, descriptions."""

    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items() if k != "title"}
        if isinstance(node, list):
            return [clean(item) for item in node]
        return node

    cleaned: dict[str, Any] = clean(schema)
    cleaned.setdefault("properties", {})
    cleaned["additionalProperties"] = False
    return cleaned


class DateRangeArgs(Args):
    date_from: date | None = Field(None, description="first day, inclusive (YYYY-MM-DD)")
    date_to: date | None = Field(None, description="last day, inclusive (YYYY-MM-DD)")

    @model_validator(mode="after")
    def _ordered(self) -> DateRangeArgs:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        return self
