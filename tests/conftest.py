"""Fixtures shared by every test layer live in tests/fixtures/ as plugins."""

pytest_plugins = [
    "tests.fixtures.aws",
    "tests.fixtures.xero",
    "tests.fixtures.okta",
    "tests.fixtures.connected",
]
