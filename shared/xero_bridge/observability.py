"""Logger, tracer and metrics: created once here, imported by every function.

The service name, log level and namespace come from the POWERTOOLS_* environment
variables that template.yaml sets. Every log line passes through redaction, so a token or
secret that reaches a log call (in a message, an extra key or an exception) never reaches
the log stream.

`tracer` is created on first use: importing the X-Ray SDK costs ~150 ms of cold start, which
functions that only log (the authorizer, the webhook intake) should not pay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics import Metrics

from xero_bridge.redaction import redact

if TYPE_CHECKING:
    from aws_lambda_powertools.tracing import Tracer


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON formatter with every field scrubbed just before serialising."""

    def serialize(self, log: dict[str, Any]) -> str:  # type: ignore[override]
        return super().serialize(redact(log))


logger = Logger(logger_formatter=RedactingFormatter(), utc=True)
# The redacting handler must be the only way out: no raw record bubbles up to the root
# logger's handlers (the Lambda runtime's, or anyone's added later).
logger._logger.propagate = False
metrics = Metrics()

_tracer: Tracer | None = None


def __getattr__(name: str) -> Any:
    """`from xero_bridge.observability import tracer` creates the tracer on first import."""
    global _tracer
    if name == "tracer":
        if _tracer is None:
            from aws_lambda_powertools.tracing import Tracer

            _tracer = Tracer()
        return _tracer
    raise AttributeError(name)
