"""Runs the template's EventBridge schedules locally (moto's EventBridge never fires).

Each function with a `Schedule` event is invoked with EventBridge's "Scheduled Event" at its
rate, in a background thread; `run_once` invokes every scheduled function now, for tests and
for people who don't want to wait five minutes.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from devstack.lambda_runtime import LocalFunction
from devstack.sim_kit.workers import Workers
from devstack.template import SamTemplate

_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


def rate_seconds(expression: str) -> float:
    """Seconds between runs for `rate(5 minutes)`; cron expressions are not supported locally."""
    found = re.fullmatch(r"rate\((\d+)\s+(\w+)\)", expression.strip())
    if not found or found.group(2) not in _UNITS:
        raise ValueError(f"the local scheduler understands rate(...) only, not {expression!r}")
    return int(found.group(1)) * _UNITS[found.group(2)]


def scheduled_event(rule_name: str) -> dict[str, Any]:
    """The event EventBridge sends a function on a schedule."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "region": "eu-west-1",
        "resources": [f"arn:aws:events:eu-west-1:123456789012:rule/{rule_name}"],
        "detail": {},
    }


@dataclass(frozen=True)
class Schedule:
    function_id: str
    rule_name: str
    every_seconds: float


def schedules(template: SamTemplate) -> list[Schedule]:
    """Each schedule of the template; DEV_SCHEDULE_SECONDS (when set) runs them at most that
    far apart, so a crypto withdrawal is seen settled in seconds, not five minutes."""
    cap = float(os.environ.get("DEV_SCHEDULE_SECONDS") or 0)
    found = []
    for function_id in template.functions():
        events = template.functions()[function_id].get("Events", {}) or {}
        for name, event in events.items():
            if event.get("Type") == "Schedule":
                expression = event["Properties"]["Schedule"]
                every = rate_seconds(expression)
                every = min(every, cap) if cap > 0 else every
                found.append(Schedule(function_id, f"{function_id}-{name}", every))
    return found


class LocalScheduler:
    def __init__(self, template: SamTemplate, functions: dict[str, LocalFunction]) -> None:
        self.functions = functions
        self.schedules = schedules(template)
        self._workers = Workers()

    def run_once(self) -> dict[str, Any]:
        """Invoke every scheduled function now; returns each one's result (or its error)."""
        results: dict[str, Any] = {}
        for schedule in self.schedules:
            results[schedule.function_id] = self._invoke(schedule)
        return results

    def _invoke(self, schedule: Schedule) -> Any:
        try:
            return self.functions[schedule.function_id].invoke(scheduled_event(schedule.rule_name))
        except Exception as exc:  # a failed run is logged by the function; the schedule goes on
            return {"error": f"{type(exc).__name__}: {exc}"}

    def _loop(self, schedule: Schedule) -> None:
        while not self._workers.stopping.wait(schedule.every_seconds):
            self._invoke(schedule)

    def start(self) -> None:
        for schedule in self.schedules:
            self._workers.spawn(self._loop, schedule)

    def stop(self) -> None:
        self._workers.stop()
