"""Fixtures of the notification tests: the local receiver on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devstack.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    running.start()
    yield running
    running.stop()
