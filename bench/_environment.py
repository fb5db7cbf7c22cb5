"""The environment every in-process benchmark runs in: AWS is moto's mock (fake credentials,
no endpoint override), X-Ray is off and logs are quiet."""

from __future__ import annotations

import os
import warnings

REGION = "eu-west-1"


def offline_aws_environment(**extra: str) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            # Metrics need a namespace even when off; the EMF lines are not the bench.
            "POWERTOOLS_METRICS_NAMESPACE": "XeroBridgeBench",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "APP_ENV": "test",
            **extra,
        }
    )
    # With metrics off, Powertools warns on every handler call that it had none to publish.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
