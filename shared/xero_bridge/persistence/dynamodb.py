"""The boto3 DynamoDB resource and tables, created once per process.

boto3 honours AWS_ENDPOINT_URL, which is how `make dev` and the tests point every
client at moto without code of ours knowing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config

# Fail fast: a Lambda must not spend its whole timeout on an unreachable table.
_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3})


@lru_cache(maxsize=1)
def dynamodb_resource() -> Any:
    return boto3.resource("dynamodb", config=_CLIENT_CONFIG)


@lru_cache(maxsize=32)
def table(name: str) -> Any:
    """A boto3 Table by name (cached; creating one costs nothing over the network)."""
    return dynamodb_resource().Table(name)


def reset_clients() -> None:
    """Forget cached clients (tests that switch endpoints or credentials call this)."""
    table.cache_clear()
    dynamodb_resource.cache_clear()
