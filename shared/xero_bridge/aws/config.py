"""The boto3 client configuration most adapters share: short timeouts (a Lambda must answer
long before botocore's default 60-second read timeout) and three attempts."""

from __future__ import annotations

from botocore.config import Config

STANDARD = Config(
    connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}
)
