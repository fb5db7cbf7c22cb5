import json

import boto3

from tests.events import call_handler, http_api_event
from xero_bridge import __version__


def _get_health() -> tuple[int, dict]:
    response = call_handler("health", http_api_event("GET", "/health", route_key="GET /health"))
    assert response["headers"]["Content-Type"] == "application/json"
    return response["statusCode"], json.loads(response["body"])


def test_health_reports_version_and_dependencies(aws):
    status, body = _get_health()
    assert status == 200
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["checks"]["tokens_table"]["ok"] is True
    assert body["checks"]["app_secret"]["ok"] is True


def test_an_unreachable_table_is_reported_not_raised(aws):
    boto3.client("dynamodb").delete_table(TableName=aws["TokenSetsTable"].ref)
    status, body = _get_health()
    assert status == 503
    assert body["status"] == "degraded"
    assert body["checks"]["tokens_table"]["ok"] is False
    assert "ResourceNotFoundException" in body["checks"]["tokens_table"]["error"]
    assert body["checks"]["app_secret"]["ok"] is True


def test_a_missing_variable_is_named(aws, monkeypatch):
    from tests.fixtures.aws import reset_caches

    monkeypatch.delenv("APP_SECRET_NAME")
    reset_caches()
    status, body = _get_health()
    assert status == 503
    assert (
        body["checks"]["app_secret"]["error"] == "environment variable APP_SECRET_NAME is not set"
    )


def test_an_unknown_path_is_a_json_404(aws):
    response = call_handler("health", http_api_event("GET", "/nope", route_key="GET /nope"))
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"
