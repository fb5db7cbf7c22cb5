"""Answering an SQS batch with Powertools' partial-failure report: the messages that failed
come back to the queue (after their visibility timeout, or the delay already set on them);
the rest are deleted. Every message failing is an answer too, not a crash."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext


class SentBack(Exception):
    """This message goes back to the queue."""


def records_of(event: dict[str, Any]) -> list[SQSRecord]:
    return [SQSRecord(raw) for raw in event.get("Records", [])]


def each_record(
    event: dict[str, Any], context: LambdaContext, handle: Callable[[SQSRecord], None]
) -> PartialItemFailureResponse:
    """`handle` each message on its own; one that raises comes back to the queue."""
    # One processor per invocation: it keeps per-batch state (the local stack runs threads).
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event, handle, processor, context)


def send_back(
    event: dict[str, Any], context: LambdaContext, failed: Collection[str]
) -> PartialItemFailureResponse:
    """The batch was handled as a whole: the messages whose ids are in `failed` come back."""

    def handle(record: SQSRecord) -> None:
        if record.message_id in failed:
            raise SentBack(record.message_id)

    return each_record(event, context, handle)
