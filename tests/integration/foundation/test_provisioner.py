"""The local stack's AWS comes from template.yaml: every resource type is created in moto or
skipped on purpose, and queues keep the template's encryption settings."""

from __future__ import annotations

import boto3

from devstack.aws import NOT_PROVISIONED, PROVISIONED, unhandled_types
from devstack.template import Physical, SamTemplate


def test_every_resource_type_of_the_template_is_created_or_knowingly_skipped() -> None:
    """A new type in template.yaml needs a decision here, not a silent absence locally."""
    assert unhandled_types(SamTemplate()) == set()
    assert not set(PROVISIONED) & set(NOT_PROVISIONED)


def test_unknown_types_are_reported(tmp_path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Queue:\n    Type: AWS::SQS::Queue\n"
    )
    assert unhandled_types(SamTemplate(template)) == {"AWS::S3::Bucket"}


def test_queues_are_created_with_the_templates_key_and_redrive(
    aws: dict[str, Physical],
) -> None:
    sqs = boto3.client("sqs")
    key_id = aws["DataKey"].ref
    for queue_id in ("WebhookQueue", "WebhookDeadLetterQueue", "TokenRefreshDeadLetterQueue"):
        attributes = sqs.get_queue_attributes(QueueUrl=aws[queue_id].ref, AttributeNames=["All"])[
            "Attributes"
        ]
        assert attributes["KmsMasterKeyId"] == key_id, queue_id
    webhook = sqs.get_queue_attributes(
        QueueUrl=aws["WebhookQueue"].ref, AttributeNames=["RedrivePolicy", "VisibilityTimeout"]
    )["Attributes"]
    assert webhook["VisibilityTimeout"] == "360"
    assert aws["WebhookDeadLetterQueue"].attributes["Arn"] in webhook["RedrivePolicy"]


def test_skipped_resources_are_absent_and_the_functions_still_get_their_environment(
    aws: dict[str, Physical],
) -> None:
    template = SamTemplate()
    assert "AlertsTopic" not in aws and "HealthFunctionLogGroup" not in aws
    environment = template.function_environment("TokenRefreshFunction", aws, {}, {})
    assert environment["TOKENS_TABLE"] == aws["TokenSetsTable"].ref
    assert environment["APP_SECRET_NAME"] == aws["AppSecret"].ref
