"""template.yaml's security settings that checkov does not check, or checks too loosely.

checkov (`make checkov`) asks that a queue names a KMS key, a log group a retention, a table
point-in-time recovery; it does not ask which key, whether a function logs to its log group,
whether a function can use the key of the queue it writes to, or whether a table that holds
the only copy of its data has a backup. These tests do, so a later change cannot quietly
undo it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from devstack.template import SamTemplate

TEMPLATE = SamTemplate()
RESOURCES = TEMPLATE.resources
FUNCTIONS = TEMPLATE.functions()
KEY = "DataKey"

# The only copy of their data: money, the audit trail, Xero's refresh tokens (lost, every
# organisation must be connected again), connections, who may reach which organisation.
NOT_REBUILDABLE = {
    "PaymentsTable",
    "AuditTable",
    "TokenSetsTable",
    "ConnectionsTable",
    "GrantsTable",
}


def _of_type(resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in TEMPLATE.of_type(resource_type).items()
    }


def _when(value: Any, environment: str) -> Any:
    """A value as deployed with Environment=<environment> (Fn::If on IsProd resolved)."""
    conditions = TEMPLATE.data.get("Conditions", {})
    if isinstance(value, dict) and set(value) == {"Fn::If"}:
        name, if_true, if_false = value["Fn::If"]
        assert conditions[name] == {"Fn::Equals": [{"Ref": "Environment"}, "prod"]}, name
        return _when(if_true if environment == "prod" else if_false, environment)
    return value


def _refers_to_key(value: Any) -> bool:
    return value in ({"Ref": KEY}, {"Fn::GetAtt": [KEY, "Arn"]})


def _statements(function_id: str) -> list[dict[str, Any]]:
    found = []
    for policy in FUNCTIONS[function_id].get("Policies", []) or []:
        if isinstance(policy, dict):
            found.extend(policy.get("Statement", []))
    return found


def _key_actions(function_id: str) -> set[str]:
    """The KMS actions a function's own policies allow on the stack's key, unconditionally."""
    actions: set[str] = set()
    for statement in _statements(function_id):
        resources = statement.get("Resource")
        resources = resources if isinstance(resources, list) else [resources]
        allowed = statement.get("Effect") == "Allow" and "Condition" not in statement
        if allowed and any(map(_refers_to_key, resources)):
            granted = statement["Action"]
            actions.update([granted] if isinstance(granted, str) else granted)
    return actions


def _queue_of(arn: Any) -> str | None:
    if isinstance(arn, dict) and "Fn::GetAtt" in arn and arn["Fn::GetAtt"][1] == "Arn":
        logical_id = arn["Fn::GetAtt"][0]
        if RESOURCES[logical_id]["Type"] == "AWS::SQS::Queue":
            return str(logical_id)
    return None


def _queues_sent_to(function_id: str) -> set[str]:
    queues = set()
    for statement in _statements(function_id):
        action = statement.get("Action") or []
        actions = [action] if isinstance(action, str) else list(action)
        if "sqs:SendMessage" in actions and (queue := _queue_of(statement.get("Resource"))):
            queues.add(queue)
    dead_letters = FUNCTIONS[function_id].get("DeadLetterQueue")
    if dead_letters and (queue := _queue_of(dead_letters.get("TargetArn"))):
        queues.add(queue)
    return queues


def _queues_received_from(function_id: str) -> set[str]:
    return {
        queue
        for event in TEMPLATE.events(function_id, "SQS")
        if (queue := _queue_of(event.get("Queue")))
    }


@pytest.mark.parametrize("queue_id", sorted(_of_type("AWS::SQS::Queue")))
def test_every_queue_is_encrypted_with_the_stacks_key(queue_id: str) -> None:
    assert _refers_to_key(_of_type("AWS::SQS::Queue")[queue_id].get("KmsMasterKeyId")), queue_id


@pytest.mark.parametrize("function_id", sorted(FUNCTIONS))
def test_a_function_can_use_the_key_of_every_queue_it_sends_to_or_reads(function_id: str) -> None:
    """SQS refuses a send without kms:GenerateDataKey, and a receive without kms:Decrypt."""
    actions = _key_actions(function_id)
    if _queues_sent_to(function_id):
        assert {"kms:GenerateDataKey", "kms:Decrypt"} <= actions, function_id
    if _queues_received_from(function_id):
        assert "kms:Decrypt" in actions, function_id


def test_the_functions_that_use_queues_are_the_ones_this_test_looks_at() -> None:
    """If the policies were written differently, the test above would find nothing to check."""
    assert _queues_sent_to("WebhookIntakeFunction") == {"WebhookQueue"}
    assert _queues_received_from("WebhookWorkerFunction") == {"WebhookQueue"}
    assert _queues_sent_to("TokenRefreshFunction") == {"TokenRefreshDeadLetterQueue"}
    assert _queues_sent_to("RailCallbackIntakeFunction") == {"RailCallbackQueue"}
    assert _queues_received_from("RailWorkerFunction") == {"RailCallbackQueue"}
    assert _queues_sent_to("RailReconcilerFunction") == {"RailReconcilerDeadLetterQueue"}


@pytest.mark.parametrize("function_id", sorted(FUNCTIONS))
def test_every_function_logs_to_its_own_encrypted_log_group_with_a_retention(
    function_id: str,
) -> None:
    group_ref = (FUNCTIONS[function_id].get("LoggingConfig") or {}).get("LogGroup")
    assert isinstance(group_ref, dict) and "Ref" in group_ref, f"{function_id}: no LoggingConfig"
    group = RESOURCES[group_ref["Ref"]]
    assert group["Type"] == "AWS::Logs::LogGroup"
    properties = group["Properties"]
    assert properties["LogGroupName"] == {
        "Fn::Sub": f"/aws/lambda/${{AWS::StackName}}-{function_id}"
    }
    if RESOURCES[function_id].get("Condition") != "NotProd":  # the docs exist outside prod
        assert _when(properties["RetentionInDays"], "prod") == 90
    assert _when(properties["RetentionInDays"], "dev") == 14
    assert _refers_to_key(properties.get("KmsKeyId"))
    users = [
        f for f, p in FUNCTIONS.items() if (p.get("LoggingConfig") or {}) == {"LogGroup": group_ref}
    ]
    assert users == [function_id], "one log group per function"


@pytest.mark.parametrize("log_group_id", sorted(_of_type("AWS::Logs::LogGroup")))
def test_every_log_group_keeps_its_logs_for_a_bounded_time(log_group_id: str) -> None:
    properties = _of_type("AWS::Logs::LogGroup")[log_group_id]
    for environment in ("dev", "prod"):
        assert int(_when(properties.get("RetentionInDays", 0), environment)) > 0, log_group_id


def test_every_table_whose_data_cannot_be_rebuilt_has_point_in_time_recovery() -> None:
    tables = _of_type("AWS::DynamoDB::Table")
    assert set(tables) >= NOT_REBUILDABLE
    for table_id in NOT_REBUILDABLE:
        recovery = tables[table_id].get("PointInTimeRecoverySpecification") or {}
        assert recovery.get("PointInTimeRecoveryEnabled") is True, table_id


def test_a_table_without_point_in_time_recovery_says_why() -> None:
    """A new table gets a backup, or a checkov skip with its reason: never neither."""
    for table_id, properties in _of_type("AWS::DynamoDB::Table").items():
        recovery = properties.get("PointInTimeRecoverySpecification") or {}
        if recovery.get("PointInTimeRecoveryEnabled") is not True:
            assert table_id not in NOT_REBUILDABLE
            assert "CKV_AWS_28" in _skips(table_id), f"{table_id}: no PITR and no reason"


def _skips(logical_id: str) -> dict[str, str]:
    metadata = RESOURCES[logical_id].get("Metadata") or {}
    skips = (metadata.get("checkov") or {}).get("skip") or []
    return {skip["id"]: str(skip.get("comment", "")) for skip in skips}


@pytest.mark.parametrize("logical_id", sorted(RESOURCES))
def test_every_checkov_skip_carries_its_reason(logical_id: str) -> None:
    for check_id, reason in _skips(logical_id).items():
        assert len(reason.split()) >= 8, f"{logical_id} skips {check_id} without a reason"


def test_the_api_writes_a_json_access_log_without_the_authorization_header() -> None:
    (api,) = _of_type("AWS::Serverless::HttpApi").values()
    settings = api["AccessLogSettings"]
    group_id = settings["DestinationArn"]["Fn::GetAtt"][0]
    group = _of_type("AWS::Logs::LogGroup")[group_id]
    assert _refers_to_key(group.get("KmsKeyId"))
    line = json.loads(settings["Format"])  # one JSON object per request
    assert {"requestId", "ip", "routeKey", "status", "latency", "integrationError"} <= set(line)
    assert "authorization" not in settings["Format"].lower()
    assert "$context.identity.sourceIp" in line["ip"]


def test_the_webhook_worker_reserves_xeros_in_flight_limit() -> None:
    worker = FUNCTIONS["WebhookWorkerFunction"]
    (event,) = TEMPLATE.events("WebhookWorkerFunction", "SQS")
    assert worker["ReservedConcurrentExecutions"] == 5
    assert event["ScalingConfig"]["MaximumConcurrency"] == worker["ReservedConcurrentExecutions"]


def test_the_rail_worker_reserves_what_its_event_source_may_use() -> None:
    worker = FUNCTIONS["RailWorkerFunction"]
    (event,) = TEMPLATE.events("RailWorkerFunction", "SQS")
    assert event["ScalingConfig"]["MaximumConcurrency"] == worker["ReservedConcurrentExecutions"]
    assert FUNCTIONS["RailReconcilerFunction"]["ReservedConcurrentExecutions"] == 1


def test_scheduled_functions_send_failed_runs_to_an_encrypted_dead_letter_queue() -> None:
    scheduled = [f for f in FUNCTIONS if TEMPLATE.events(f, "Schedule")]
    assert scheduled == ["TokenRefreshFunction", "RailReconcilerFunction"]
    for function_id in scheduled:
        target = FUNCTIONS[function_id]["DeadLetterQueue"]
        assert target["Type"] == "SQS"
        assert _queue_of(target["TargetArn"]) in _of_type("AWS::SQS::Queue")


def _alarms() -> dict[str, dict[str, Any]]:
    return _of_type("AWS::CloudWatch::Alarm")


def test_every_alarm_notifies_the_encrypted_alerts_topic() -> None:
    assert _alarms()
    for alarm_id, alarm in _alarms().items():
        assert alarm["AlarmActions"] == [{"Ref": "AlertsTopic"}], alarm_id
    assert _refers_to_key(_of_type("AWS::SNS::Topic")["AlertsTopic"]["KmsMasterKeyId"])


def test_the_alert_email_subscription_exists_only_when_an_address_is_given() -> None:
    (subscription_id,) = _of_type("AWS::SNS::Subscription")
    assert RESOURCES[subscription_id]["Condition"] == "HasAlertEmail"
    assert TEMPLATE.data["Conditions"]["HasAlertEmail"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "AlertEmail"}, ""]}]
    }
    assert TEMPLATE.parameters["AlertEmail"]["Default"] == ""


def _watched(metric: str, dimension: str) -> set[str]:
    """The logical ids whose `metric` some alarm watches (by its dimension's Ref or GetAtt)."""
    watched = set()
    for alarm in _alarms().values():
        if alarm.get("MetricName") != metric:
            continue
        for entry in alarm.get("Dimensions", []):
            value = entry["Value"]
            if entry["Name"] == dimension:
                watched.add(value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0])
    return watched


def test_every_dead_letter_queue_and_every_functions_errors_and_throttles_have_an_alarm() -> None:
    redrive_targets = {
        _queue_of(queue["RedrivePolicy"]["deadLetterTargetArn"])
        for queue in _of_type("AWS::SQS::Queue").values()
        if "RedrivePolicy" in queue
    }
    function_targets = {
        _queue_of(function["DeadLetterQueue"]["TargetArn"])
        for function in FUNCTIONS.values()
        if "DeadLetterQueue" in function
    }
    dead_letter_queues = redrive_targets | function_targets
    assert dead_letter_queues == {
        "WebhookDeadLetterQueue",
        "TokenRefreshDeadLetterQueue",
        "RailCallbackDeadLetterQueue",
        "RailReconcilerDeadLetterQueue",
    }
    assert _watched("ApproximateNumberOfMessagesVisible", "QueueName") == dead_letter_queues
    assert _watched("Errors", "FunctionName") == set(FUNCTIONS)
    assert _watched("Throttles", "FunctionName") == set(FUNCTIONS)


def test_the_api_5xx_rate_has_an_alarm() -> None:
    alarm = _alarms()["HttpApi5xxRateAlarm"]
    metrics = {m["Id"]: m for m in alarm["Metrics"]}
    assert metrics["errors"]["MetricStat"]["Metric"]["MetricName"] == "5xx"
    assert metrics["requests"]["MetricStat"]["Metric"]["MetricName"] == "Count"
    for query in ("errors", "requests"):
        dimensions = metrics[query]["MetricStat"]["Metric"]["Dimensions"]
        assert dimensions == [{"Name": "ApiId", "Value": {"Ref": "HttpApi"}}]
    assert [m["Id"] for m in alarm["Metrics"] if m.get("ReturnData")] == ["rate"]
