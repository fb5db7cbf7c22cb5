"""The local scheduler runs the template's Schedule events with EventBridge's event shape."""

from pathlib import Path

import pytest

from devstack.lambda_runtime import LocalFunction, load_handler_module
from devstack.scheduler import LocalScheduler, rate_seconds
from devstack.template import SamTemplate

APP = Path(__file__).parent / "gateway_app"


def test_rates_are_read_from_the_template():
    assert rate_seconds("rate(5 minutes)") == 300
    assert rate_seconds("rate(1 hour)") == 3600
    with pytest.raises(ValueError, match="cron"):
        rate_seconds("cron(0 12 * * ? *)")


def test_run_once_invokes_each_scheduled_function_with_a_scheduled_event():
    template = SamTemplate(APP / "template.yaml")
    functions = {
        function_id: LocalFunction(f"sched_{function_id}", *template.function_code(function_id))
        for function_id in template.functions()
    }
    scheduler = LocalScheduler(template, functions)
    assert [s.function_id for s in scheduler.schedules] == ["TickFunction"]
    assert scheduler.schedules[0].every_seconds == 60
    results = scheduler.run_once()
    module, _ = load_handler_module(APP / "tick", "app.lambda_handler", "lambda_sched_TickFunction")
    assert results == {"TickFunction": {"ticks": len(module.EVENTS)}}
    event = module.EVENTS[-1]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["resources"][0].endswith("rule/TickFunction-Every")
