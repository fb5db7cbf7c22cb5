"""AWS for the local stack: moto in server mode on loopback, provisioned from template.yaml.

Every table, queue, secret, key and event bus the template declares is created here with
the same keys, indexes, TTL and encryption settings, so a handler that works locally finds
the same shapes deployed. The other resource types are named in NOT_PROVISIONED with the
reason the local stack does without them.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Callable
from typing import Any

import boto3
from moto.core.responses import BaseResponse
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from devstack.template import Physical, Resolver, SamTemplate

REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"  # moto's default account
STACK_NAME = "xero-bridge-local"


def aws_environment(endpoint: str) -> dict[str, str]:
    """Variables that send every boto3 client of this process (and its children) to moto."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


_moto_lock = threading.RLock()


def make_moto_atomic() -> None:
    """Serialise moto's request handling, so each AWS call is atomic as it is in AWS.

    moto checks a DynamoDB condition and then writes in plain Python, and a transaction
    restores a copy of the table on failure: two threads can both pass one condition, or one
    can undo the other's write. Real DynamoDB never does either, and the concurrency the
    product relies on (version checks, single-use states, idempotency) must be tested
    against a store that behaves like it.
    """
    original = BaseResponse.call_action
    if getattr(original, "_atomic", False):
        return

    @functools.wraps(original)
    def call_action(self: BaseResponse) -> Any:
        with _moto_lock:
            return original(self)

    call_action._atomic = True  # type: ignore[attr-defined]
    BaseResponse.call_action = call_action  # type: ignore[method-assign]


def start_moto(port: int) -> tuple[ThreadedMotoServer, str]:
    make_moto_atomic()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound_port = server.get_host_and_port()
    return server, f"http://{host}:{bound_port}"


# Dependencies first: keys before what they encrypt, dead-letter queues before queues, the
# bus and the queues before the rules that join them, rules before the policies naming them.
PROVISIONED = (
    "AWS::KMS::Key",
    "AWS::DynamoDB::Table",
    "AWS::SQS::Queue",
    "AWS::SecretsManager::Secret",
    "AWS::Events::EventBus",
    "AWS::Events::Rule",
    "AWS::SQS::QueuePolicy",
    "AWS::SES::EmailIdentity",
)

NOT_PROVISIONED = {
    "AWS::Serverless::Function": "run in-process by devstack.lambda_runtime",
    "AWS::Serverless::HttpApi": "served by devstack.gateway from the template's routes",
    "AWS::Serverless::LayerVersion": "the layers' code is on the local sys.path",
    "AWS::KMS::Alias": "nothing refers to the key by its alias",
    "AWS::Logs::LogGroup": "local functions log to the console",
    "AWS::CloudWatch::Alarm": "moto evaluates no alarms",
    "AWS::SNS::Topic": "only alarms publish to it",
    "AWS::SNS::Subscription": "only alarms publish to its topic",
}

_QUEUE_ATTRIBUTES = (
    "VisibilityTimeout",
    "MessageRetentionPeriod",
    "RedrivePolicy",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
)


def unhandled_types(template: SamTemplate) -> set[str]:
    """Resource types of the template the local stack neither creates nor knowingly skips."""
    types = {resource.get("Type", "") for resource in template.resources.values()}
    return types - set(PROVISIONED) - set(NOT_PROVISIONED)


class Provisioner:
    """Creates the template's AWS resources in the account boto3 currently points at."""

    def __init__(self, template: SamTemplate, secret_values: dict[str, str]) -> None:
        self.template = template
        self.secret_values = secret_values
        self.physical: dict[str, Physical] = {}
        self.pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::StackName": STACK_NAME,
            "AWS::URLSuffix": "amazonaws.com",
        }

    def provision(self) -> dict[str, Physical]:
        creators: dict[str, Callable[[str, dict[str, Any]], Physical]] = {
            "AWS::KMS::Key": self._kms_key,
            "AWS::DynamoDB::Table": self._table,
            "AWS::SQS::Queue": self._queue,
            "AWS::SecretsManager::Secret": self._secret,
            "AWS::Events::EventBus": self._event_bus,
            "AWS::Events::Rule": self._rule,
            "AWS::SQS::QueuePolicy": self._queue_policy,
            "AWS::SES::EmailIdentity": self._email_identity,
        }
        for resource_type in PROVISIONED:
            resources = sorted(
                self.template.of_type(resource_type).items(),
                key=lambda item: "RedrivePolicy" in item[1].get("Properties", {}),
            )
            for logical_id, resource in resources:
                self.physical[logical_id] = creators[resource_type](
                    logical_id, self._resolved(resource.get("Properties", {}))
                )
        return self.physical

    def _resolved(self, value: Any) -> Any:
        resolver = Resolver(self.template, self.physical, {}, self.pseudo)
        if isinstance(value, dict):
            resolved = resolver.resolve(value)
            if resolved is not value:
                return resolved
            return {key: self._resolved(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._resolved(item) for item in value]
        return value

    def _kms_key(self, logical_id: str, properties: dict[str, Any]) -> Physical:
        key = boto3.client("kms").create_key(Description=properties.get("Description", logical_id))
        metadata = key["KeyMetadata"]
        return Physical(ref=metadata["KeyId"], attributes={"Arn": metadata["Arn"]})

    def _table(self, logical_id: str, properties: dict[str, Any]) -> Physical:
        client = boto3.client("dynamodb")
        name = properties.get("TableName", logical_id)
        arguments: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": properties["AttributeDefinitions"],
            "KeySchema": properties["KeySchema"],
            "BillingMode": properties.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if properties.get("GlobalSecondaryIndexes"):
            arguments["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
        table = client.create_table(**arguments)["TableDescription"]
        ttl = properties.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            client.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )
        return Physical(
            ref=name,
            attributes={"Arn": table["TableArn"], "StreamArn": table.get("LatestStreamArn", "")},
        )

    def _queue(self, logical_id: str, properties: dict[str, Any]) -> Physical:
        client = boto3.client("sqs")
        name = properties.get("QueueName", logical_id)
        attributes: dict[Any, str] = {  # str keys: the stubs want their Literal names
            key: _queue_attribute(value)
            for key, value in properties.items()
            if key in _QUEUE_ATTRIBUTES
        }
        url = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return Physical(
            ref=url, attributes={"Arn": arn["Attributes"]["QueueArn"], "QueueName": name}
        )

    def _secret(self, logical_id: str, properties: dict[str, Any]) -> Physical:
        client = boto3.client("secretsmanager")
        document = json.loads(properties.get("SecretString") or "{}")
        document.update(self.secret_values)  # the demo settings of the local stack
        name = properties.get("Name", f"{STACK_NAME}/{logical_id}")
        arn = client.create_secret(Name=name, SecretString=json.dumps(document))["ARN"]
        return Physical(ref=arn, attributes={"Id": arn})

    def _event_bus(self, logical_id: str, properties: dict[str, Any]) -> Physical:
        name = properties.get("Name", logical_id)
        arn = boto3.client("events").create_event_bus(Name=name)["EventBusArn"]
        return Physical(ref=name, attributes={"Arn": arn, "Name": name})

    def _rule(self, logical_id: str, properties: dict[str, Any]) -> Physical:
        """The rule with its targets: moto's EventBridge delivers to SQS targets that match."""
        client = boto3.client("events")
        name = properties.get("Name", f"{STACK_NAME}-{logical_id}")
        bus = properties.get("EventBusName", "default")
        arn = client.put_rule(
            Name=name,
            EventBusName=bus,
            EventPattern=json.dumps(properties["EventPattern"]),
            State=properties.get("State", "ENABLED"),
            Description=properties.get("Description", ""),
        )["RuleArn"]
        targets = [
            {key: value for key, value in target.items() if key in _TARGET_FIELDS}
            for target in properties.get("Targets", [])
        ]
        if targets:
            client.put_targets(Rule=name, EventBusName=bus, Targets=targets)
        return Physical(ref=name, attributes={"Arn": arn})

    def _queue_policy(self, logical_id: str, properties: dict[str, Any]) -> Physical:
        policy = json.dumps(properties["PolicyDocument"])
        client = boto3.client("sqs")
        for url in properties["Queues"]:
            client.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy})
        return Physical(ref=logical_id)

    def _email_identity(self, logical_id: str, properties: dict[str, Any]) -> Physical:
        """The alert sender, verified at once (moto's SES sends no verification mail)."""
        identity = properties["EmailIdentity"]
        boto3.client("ses").verify_email_identity(EmailAddress=identity)
        return Physical(ref=identity)


_TARGET_FIELDS = ("Id", "Arn", "DeadLetterConfig", "RetryPolicy", "InputPath")


def _queue_attribute(value: Any) -> str:
    """A queue property as SQS's CreateQueue takes it: JSON objects, lower-case booleans."""
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def apply_environment(variables: dict[str, str]) -> None:
    os.environ.update(variables)
