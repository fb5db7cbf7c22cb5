"""Every Accounting API call the simulator serves, as (method, concrete path) pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from devstack.xero_simulator import XeroSimulator

API_PREFIX = "/api.xro/2.0"
SAMPLE_ID = "0d9b0e53-6a4c-4f8e-9d35-6f3b2c1a0e11"
_PART = re.compile(r"<(?:any\(([^)]*)\):)?([^>]+)>")


def _expand(template: str) -> Iterator[str]:
    """``/<any(Invoices,Contacts):resource>/<record_id>`` → one path per option, with a
    sample value for every other parameter."""
    match = _PART.search(template)
    if match is None:
        yield template
        return
    options, name = match.groups()
    if options:
        values = [value.strip() for value in options.split(",")]
    else:
        values = ["note.pdf" if "file" in name else SAMPLE_ID]
    for value in values:
        yield from _expand(template[: match.start()] + value + template[match.end() :])


def accounting_calls(sim: XeroSimulator) -> list[tuple[str, str]]:
    """(method, path under /api.xro/2.0) for every route and resource the simulator serves."""
    calls = set()
    for rule in sim.app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX):
            continue
        for method in rule.methods or ():
            if method in ("HEAD", "OPTIONS"):
                continue
            for path in _expand(rule.rule[len(API_PREFIX) :]):
                calls.add((method, path))
    return sorted(calls, key=lambda call: (call[1], call[0]))
