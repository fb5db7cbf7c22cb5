"""The fake model's answer from an aged receivables/payables result: a sentence a person reads.

A real model summarises the data; the stand-in says who owes what, in the data's own figures
(strings, never re-computed), so the console shows an answer rather than raw JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

_FRAME = re.compile(r'<xero_data tool="(?P<tool>\w+)"[^>]*>\s*(?P<body>.*?)\s*</xero_data>', re.S)
_TITLES = {"aged_receivables": "Customers who owe us", "aged_payables": "Suppliers we owe"}
_MOST = 5


def _line(entry: dict[str, Any]) -> str:
    contact = (entry.get("contact") or {}).get("name") or "someone"
    currency = entry.get("currency") or ""
    line = f"{contact}: {currency} {entry.get('total_due')}"
    overdue = str(entry.get("overdue_beyond_min_days") or "0")
    if overdue.strip("0.") and entry.get("oldest_days_overdue"):
        line += f" ({currency} {overdue} overdue, oldest {entry['oldest_days_overdue']} days)"
    return line


def aged_summary(tool_content: str) -> str | None:
    """'Suppliers we owe: A: EUR 10.00; B: …', or None when the content is not an aged report."""
    frame = _FRAME.search(tool_content)
    if not frame or frame["tool"] not in _TITLES:
        return None
    try:
        data = json.loads(frame["body"])
    except ValueError:
        return None
    entries = [e for e in data.get("contacts") or [] if isinstance(e, dict)]
    if not entries:
        return f"{_TITLES[frame['tool']]}: nobody, nothing is outstanding."
    lines = [_line(entry) for entry in entries[:_MOST]]
    more = f"; and {len(entries) - _MOST} more" if len(entries) > _MOST else ""
    return f"{_TITLES[frame['tool']]}: " + "; ".join(lines) + more + "."
