"""Powertools idempotency around every money-moving request.

`run_once(operation, tenant_id, key, actor, request, fn)` runs `fn` at most once per
(operation, tenant, Idempotency-Key) while the record lives (PAYMENTS_IDEMPOTENCY_TTL_SECONDS):

- the same key with the same request (and the same caller) answers the stored first answer;
- the same key with another request → 409 `conflict` (IdempotencyValidationError);
- while the first request is still running, later ones wait for its answer (polling for up
  to PAYMENTS_IN_PROGRESS_WAIT_SECONDS), then 409 with Retry-After if it is still running;
- when `fn` raises (Xero down, a validation error), Powertools deletes the in-progress record,
  so the failure is never replayed: a retry with the same key runs again, and our payment
  record (persistence.payments) makes sure that retry does not pay twice.

The answer stored is `Outcome.as_dict()` (status code + JSON body with money as text).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)

from xero_bridge.errors import ConflictError, ServiceUnavailableError
from xero_bridge.observability import logger
from xero_bridge.persistence.dynamodb import dynamodb_resource
from xero_bridge.settings import get_settings


@dataclass(frozen=True)
class Outcome:
    status_code: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status_code": self.status_code, "body": self.body}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        return cls(int(data["status_code"]), dict(data["body"]), {"Idempotent-Replayed": "true"})


_lambda_context: Any = None


def register_lambda_context(context: Any) -> None:
    """The handler calls this per invocation: an in-progress record then expires with the
    Lambda's own deadline, so a crashed invocation does not block its key for the full TTL."""
    global _lambda_context
    _lambda_context = context


_clients: dict[int, Any] = {}


def _client() -> Any:
    """A low-level DynamoDB client, created once per process (per shared boto3 resource, so
    tests that reset `persistence.dynamodb` get a fresh one too)."""
    resource = dynamodb_resource()
    client = _clients.get(id(resource))
    if client is None:
        import boto3

        client = boto3.client("dynamodb", config=resource.meta.client.meta.config)
        _clients.clear()
        _clients[id(resource)] = client
    return client


def _persistence() -> DynamoDBPersistenceLayer:
    name = get_settings().required("idempotency_table")
    return DynamoDBPersistenceLayer(table_name=name, boto3_client=_client())


def run_once(
    *,
    operation: str,
    tenant_id: str,
    key: str,
    actor: str,
    request: dict[str, Any],
    fn: Callable[[], Outcome],
    lambda_context: Any = None,
) -> Outcome:
    settings = get_settings()
    config = IdempotencyConfig(
        event_key_jmespath="[operation, tenant_id, key]",
        payload_validation_jmespath="[actor, request]",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=settings.payments_idempotency_ttl_seconds,
        hash_function="sha256",
    )
    context = lambda_context if lambda_context is not None else _lambda_context
    if context is not None:
        config.register_lambda_context(context)
    executed: list[bool] = []

    @idempotent_function(
        data_keyword_argument="data", persistence_store=_persistence(), config=config
    )
    def payments_request(data: dict[str, Any]) -> dict[str, Any]:
        executed.append(True)
        return fn().as_dict()

    data = {
        "operation": operation,
        "tenant_id": tenant_id,
        "key": key,
        "actor": actor,
        "request": request,
    }
    deadline = time.monotonic() + settings.payments_in_progress_wait_seconds
    delay = 0.05
    while True:
        try:
            result = payments_request(data=data)
        except IdempotencyValidationError:
            raise ConflictError(
                "this Idempotency-Key was already used for a different request",
                [{"field": "Idempotency-Key", "problem": "reused with another body"}],
            ) from None
        except IdempotencyAlreadyInProgressError:
            if time.monotonic() >= deadline:
                raise ConflictError(
                    "a request with this Idempotency-Key is still being processed: retry shortly",
                    [{"field": "Idempotency-Key", "problem": "in progress"}],
                    headers={"Retry-After": "1"},
                ) from None
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
            continue
        except IdempotencyPersistenceLayerError:
            logger.exception("idempotency store failed", extra={"operation": operation})
            raise ServiceUnavailableError("the request could not be recorded: retry") from None
        if not isinstance(result, dict):
            raise ServiceUnavailableError("the stored answer could not be read: retry")
        outcome = Outcome.from_dict(result)
        if executed:
            # The same bytes a replay answers (the store keeps the body with sorted keys).
            body = json.loads(json.dumps(outcome.body, sort_keys=True))
            return Outcome(outcome.status_code, body)
        logger.info("idempotent replay", extra={"operation": operation, "tenant_id": tenant_id})
        return outcome
