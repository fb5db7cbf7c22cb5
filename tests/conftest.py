"""Fixtures shared by every test layer live in tests/fixtures/ as plugins."""

import os

# As template.yaml sets it for every function: Powertools reads the metrics namespace once,
# when xero_bridge.observability is first imported, which happens before any fixture runs.
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "XeroBridge")

pytest_plugins = [
    "tests.fixtures.aws",
    "tests.fixtures.xero",
    "tests.fixtures.okta",
    "tests.fixtures.connected",
    "tests.fixtures.logs",
]
