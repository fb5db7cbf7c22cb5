"""Powertools idempotency around every money-moving request.

`run_once(operation, tenant_id, key, actor, request, fn, answer)` runs `fn` at most once per
(operation, tenant, Idempotency-Key) while the record lives (PAYMENTS_IDEMPOTENCY_TTL_SECONDS):

- the same key with the same request (and the same caller) answers the stored first answer;
- the same key with another request → 409 `conflict` (IdempotencyValidationError);
- while the first request is still running, later ones wait for its answer (polling for up
  to PAYMENTS_IN_PROGRESS_WAIT_SECONDS), then 409 with Retry-After if it is still running;
- when `fn` raises (Xero down, a validation error), Powertools deletes the in-progress record,
  so the failure is never replayed: a retry with the same key runs again, and our payment
  record (persistence.payments) makes sure that retry does not pay twice.

Where the boundary sits: `fn` is the whole action (an action module's `_submit`, `_approve`…)
and answers a pydantic model (`answers.PaymentResult`, `answers.BatchOut`) — the domain
result, already in the API's shape, with no HTTP in it. Powertools stores its JSON form
(`PydanticSerializer`: money and dates as text) and rebuilds the model for a repeat; the
first answer goes through the same JSON round trip (the store sorts keys inside free-form
dicts such as a batch's summary), so first answer and repeats serialise to the same bytes.
The handler maps the result to an HTTP status the same way for both, and `Once.replayed` is
what it answers as `Idempotent-Replayed: true`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
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
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from pydantic import BaseModel, ValidationError

from xero_bridge.errors import ConflictError, ServiceUnavailableError
from xero_bridge.observability import logger
from xero_bridge.persistence.dynamodb import low_level_client
from xero_bridge.settings import get_settings


@dataclass(frozen=True)
class Once[R: BaseModel]:
    """An action's result, and whether it is the stored answer of an earlier request."""

    result: R
    replayed: bool = False


_lambda_context: Any = None


def register_lambda_context(context: Any) -> None:
    """The handler calls this per invocation: an in-progress record then expires with the
    Lambda's own deadline, so a crashed invocation does not block its key for the full TTL."""
    global _lambda_context
    _lambda_context = context


def _persistence() -> DynamoDBPersistenceLayer:
    name = get_settings().required("idempotency_table")
    return DynamoDBPersistenceLayer(table_name=name, boto3_client=low_level_client())


def run_once[R: BaseModel](
    *,
    operation: str,
    tenant_id: str,
    key: str,
    actor: str,
    request: dict[str, Any],
    fn: Callable[[], R],
    answer: type[R],
) -> Once[R]:
    """`fn()` once per (operation, tenant, key); its `answer` model, first or stored."""
    settings = get_settings()
    config = IdempotencyConfig(
        event_key_jmespath="[operation, tenant_id, key]",
        payload_validation_jmespath="[actor, request]",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=settings.payments_idempotency_ttl_seconds,
        hash_function="sha256",
    )
    if _lambda_context is not None:
        config.register_lambda_context(_lambda_context)
    executed: list[bool] = []

    @idempotent_function(
        data_keyword_argument="data",
        persistence_store=_persistence(),
        config=config,
        output_serializer=PydanticSerializer(answer),
    )
    def payments_request(data: dict[str, Any]) -> R:
        executed.append(True)
        return fn()

    data = {
        "operation": operation,
        "tenant_id": tenant_id,
        "key": key,
        "actor": actor,
        "request": request,
    }
    result = _run_waiting(lambda: payments_request(data=data), executed, settings)
    if executed:
        # The same bytes a replay answers: the store keeps the JSON form with sorted keys.
        stored = json.dumps(result.model_dump(mode="json"), sort_keys=True)
        return Once(answer.model_validate(json.loads(stored)))
    logger.info("idempotent replay", extra={"operation": operation, "tenant_id": tenant_id})
    return Once(result, replayed=True)


def run_once_on_payment[R: BaseModel](
    operation: str,
    act: Callable[[str, str, str], R],
    answer: type[R],
    tenant_id: str,
    actor: str,
    payment_id: str,
    key: str,
) -> Once[R]:
    """`act(tenant_id, actor, payment_id)` once per key: an action on a stored payment
    (approve, reverse), whose request is the payment's id."""
    return run_once(
        operation=operation,
        tenant_id=tenant_id,
        key=key,
        actor=actor,
        request={"payment_id": payment_id},
        fn=lambda: act(tenant_id, actor, payment_id),
        answer=answer,
    )


def _run_waiting[R](call: Callable[[], R], executed: list[bool], settings: Any) -> R:
    """`call()`, waiting (polling) while an earlier request with the same key is in progress;
    Powertools' refusals as our errors."""
    deadline = time.monotonic() + settings.payments_in_progress_wait_seconds
    delay = 0.05
    while True:
        try:
            return call()
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
        except IdempotencyPersistenceLayerError:
            logger.exception("idempotency store failed")
            raise ServiceUnavailableError("the request could not be recorded: retry") from None
        except ValidationError:
            if executed:
                raise  # our own answer did not validate: a bug, a 500
            # A stored answer this version cannot read (written by another version).
            raise ServiceUnavailableError("the stored answer could not be read: retry") from None
