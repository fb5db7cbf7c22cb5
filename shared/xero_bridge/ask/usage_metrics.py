"""What an operator watches of ask, as CloudWatch metrics (EMF, through Powertools).

Per answered question: its tokens (prompt, completion, total), its model calls and tool
calls, and AskAnswersCutShort, 1 when a bound (rounds, tokens, time, length) cut the answer
short and 0 otherwise, so its Average is the share cut short and its Sum how many. Which
bound it was goes in the same EMF blob as metadata (searchable in the logs): as a dimension
it would split every other metric of the blob by it too.

The metrics are added to the shared `metrics` and flushed by `@metrics.log_metrics` on the
handler, with the `service` dimension Powertools takes from POWERTOOLS_SERVICE_NAME.
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit

from xero_bridge.ask.conversation import Usage
from xero_bridge.observability import metrics


def record_answer(usage: Usage, stopped_early: str | None) -> None:
    counts = {
        "AskPromptTokens": usage.prompt_tokens,
        "AskCompletionTokens": usage.completion_tokens,
        "AskTotalTokens": usage.total_tokens,
        "AskModelCalls": usage.model_calls,
        "AskToolCalls": usage.tool_calls,
        "AskAnswersCutShort": 1 if stopped_early else 0,
    }
    for name, value in counts.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    if stopped_early:
        metrics.add_metadata(key="stopped_early", value=stopped_early)
