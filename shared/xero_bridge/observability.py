"""Logger, tracer and metrics: created once here, imported by every function.

The service name, log level and namespace come from the POWERTOOLS_* environment
variables that template.yaml sets. Every log line passes through redaction, so a token or
secret that reaches a log call (in a message, an extra key or an exception) never reaches
the log stream.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from xero_bridge.redaction import redact


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON formatter with every field scrubbed just before serialising."""

    def serialize(self, log: dict[str, Any]) -> str:  # type: ignore[override]
        return super().serialize(redact(log))


logger = Logger(logger_formatter=RedactingFormatter(), utc=True)
# The redacting handler must be the only way out: no raw record bubbles up to the root
# logger's handlers (the Lambda runtime's, or anyone's added later).
logger._logger.propagate = False
tracer = Tracer()
metrics = Metrics()
