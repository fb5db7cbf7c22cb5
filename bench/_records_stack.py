"""The in-process stack the records benchmarks run against: moto provisioned from
template.yaml, the Xero simulator on loopback, and DEMO_TENANT_A connected by `alice` through
the real OAuth flow. Requests go to the records handler as Lambda runs it
(`tests.integration.records.conftest.api`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def records_stack(**environment: str) -> Iterator[Any]:
    """Yields the running `XeroSimulator`; `environment` adds or overrides variables."""
    from bench._environment import offline_aws_environment

    offline_aws_environment(POWERTOOLS_LOG_LEVEL="ERROR")  # before any logger is made

    import boto3
    import pytest
    from moto import mock_aws

    from devstack.aws import Provisioner
    from devstack.template import SamTemplate
    from devstack.xero_simulator import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DEMO_TENANT_A,
        XeroSimulator,
    )
    from tests.fixtures.aws import TEST_SECRET, reset_caches
    from tests.integration.connections import conftest as connections

    sim = XeroSimulator()
    sim.start()
    try:
        with mock_aws(), pytest.MonkeyPatch.context() as monkeypatch:
            template = SamTemplate()
            physical = Provisioner(template, TEST_SECRET).provision()
            for function_id in template.functions():
                for key, value in template.function_environment(
                    function_id, physical, {}, {}
                ).items():
                    monkeypatch.setenv(key, value)
            boto3.client("secretsmanager").put_secret_value(
                SecretId=physical["AppSecret"].ref,
                SecretString=json.dumps(
                    {
                        **TEST_SECRET,
                        "xero_client_id": DEMO_CLIENT_ID,
                        "xero_client_secret": DEMO_CLIENT_SECRET,
                    }
                ),
            )
            for key, value in {
                "APP_ENV": "test",
                "POWERTOOLS_LOG_LEVEL": "ERROR",
                "XERO_IDENTITY_URL": sim.url,
                "XERO_API_URL": sim.url,
                "XERO_REDIRECT_URI": connections.REDIRECT_URI,
                **environment,
            }.items():
                monkeypatch.setenv(key, value)
            reset_caches()
            connections.reset_all()
            answer = connections.oauth("POST", "/xero/connect", ctx=connections.context("alice"))
            url = json.loads(answer["body"])["authorize_url"]
            connections.oauth(
                "GET", "/xero/callback", query=connections.consent(url, [DEMO_TENANT_A])
            )
            yield sim
            reset_caches()
    finally:
        sim.stop()
        os.environ.pop("RATE_BUDGET_TABLE", None)
