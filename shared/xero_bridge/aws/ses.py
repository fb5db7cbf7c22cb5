"""E-mail through SES: one plain-text message to one recipient.

SES refuses an unverified sender (`MessageRejected`), and in its sandbox an unverified
recipient too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from xero_bridge.aws.config import STANDARD


class EmailNotSent(Exception):
    """SES refused the message or did not answer; the text says which (`SES: <code>`)."""


@lru_cache(maxsize=1)
def ses_client() -> Any:
    return boto3.client("ses", config=STANDARD)


def reset_client() -> None:
    """Forget the cached client (tests that switch endpoints or credentials call this)."""
    ses_client.cache_clear()


def send_text(sender: str, to: str, subject: str, body: str) -> None:
    """Send a UTF-8 text message; EmailNotSent when SES did not take it."""
    try:
        ses_client().send_email(
            Source=sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
            },
        )
    except ClientError as exc:
        raise EmailNotSent(f"SES: {exc.response['Error'].get('Code', 'error')}") from exc
    except BotoCoreError as exc:
        raise EmailNotSent(f"SES: {type(exc).__name__}") from exc
