"""Unit tests are pure: no moto, no AWS. A test that needs them belongs in tests/integration."""

from __future__ import annotations

from pathlib import Path

import pytest

_UNIT_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        # `aws_env` stands under every AWS fixture (aws, connected, …).
        if item.path.is_relative_to(_UNIT_TESTS) and "aws_env" in getattr(item, "fixturenames", ()):
            raise pytest.UsageError(f"{item.nodeid} needs AWS (moto): move it to tests/integration")
