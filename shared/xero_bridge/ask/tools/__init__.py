"""The read-only tools the model may call: small typed functions over a BooksSource.

Each tool has a pydantic arguments model (its JSON schema is what the model sees) and
returns a ToolResult: a compact summary with totals and ids — never a raw dump — and the
records it read (the answer's `sources`). Amounts are Decimal (sent as strings).

One module per family of tools (organisation, invoices, aged, contacts, payments,
accounts, reports, profit_and_loss); `definition` says what a tool is, `compact` and
`reading` are what the families share, and `registry` lists them and runs the calls.
"""

from xero_bridge.ask.tools.definition import (
    SourceRecord,
    Tool,
    ToolContext,
    ToolError,
    ToolResult,
)
from xero_bridge.ask.tools.registry import TOOLS, ToolRunner, tool_schemas

__all__ = [
    "TOOLS",
    "SourceRecord",
    "Tool",
    "ToolContext",
    "ToolError",
    "ToolResult",
    "ToolRunner",
    "tool_schemas",
]
