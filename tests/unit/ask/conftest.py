from collections.abc import Iterator
from typing import Any

import pytest
from openai import OpenAI

from devstack.fake_openai import FakeOpenAI


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def fake_openai(_fake_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """The fake OpenAI-compatible server on loopback, empty queue and log for each test."""
    _fake_server.reset()
    yield _fake_server
    _fake_server.reset()


@pytest.fixture
def model_client(fake_openai: FakeOpenAI) -> Any:
    return OpenAI(base_url=fake_openai.url, api_key=fake_openai.api_key, max_retries=0)
