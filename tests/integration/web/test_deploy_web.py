"""`make deploy-web`: config.json from the API stack, the upload's caching, the invalidation."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("deploy_web", ROOT / "web/deploy/deploy_web.py")
assert _spec and _spec.loader
deploy_web = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(deploy_web)

API_STACK = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {"OktaIssuer": {"Type": "String"}, "CorsAllowedOrigins": {"Type": "String"}},
    "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
    "Outputs": {"ApiUrl": {"Value": "https://abc123.execute-api.eu-west-1.amazonaws.com"}},
}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    for name in ("AWS_ENDPOINT_URL",):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield


def test_config_json_comes_from_the_api_stack(aws) -> None:
    cloudformation = boto3.client("cloudformation")
    cloudformation.create_stack(
        StackName="xb-dev",
        TemplateBody=json.dumps(API_STACK),
        Parameters=[
            {
                "ParameterKey": "OktaIssuer",
                "ParameterValue": "https://acme.okta.com/oauth2/default",
            },
            {"ParameterKey": "CorsAllowedOrigins", "ParameterValue": "https://d1.cloudfront.net"},
        ],
    )
    values = deploy_web.stack_values(cloudformation, "xb-dev")
    assert deploy_web.console_config(values, "0oaconsole") == {
        "apiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com",
        "oktaIssuer": "https://acme.okta.com/oauth2/default",
        "oktaClientId": "0oaconsole",
    }
    assert deploy_web.origin(values["OktaIssuer"]) == "https://acme.okta.com"
    with pytest.raises(SystemExit, match="OKTA_CONSOLE_CLIENT_ID"):
        deploy_web.console_config(values, "")


def test_upload_caches_assets_for_good_and_the_entry_page_never(aws, tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "index.html").write_text("<!doctype html>")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / ".source-hash").write_text("x")
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="site", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_object(Bucket="site", Key="assets/index-old.js", Body=b"old build")

    keys = deploy_web.upload(s3, tmp_path, "site")

    assert sorted(keys) == ["assets/index-abc123.js", "config.json", "index.html"]
    asset = s3.head_object(Bucket="site", Key="assets/index-abc123.js")
    assert asset["CacheControl"] == "public, max-age=31536000, immutable"
    assert asset["ContentType"] == "text/javascript"
    assert s3.head_object(Bucket="site", Key="index.html")["CacheControl"] == "no-cache"
    config = s3.head_object(Bucket="site", Key="config.json")
    assert (config["CacheControl"], config["ContentType"]) == ("no-store", "application/json")
    listed = {item["Key"] for item in s3.list_objects_v2(Bucket="site")["Contents"]}
    assert listed == set(keys)  # the old build's file is gone, the hash stamp never went up
