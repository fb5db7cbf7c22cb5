"""Reading a request: its JSON body and the person and account its path names."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from .config import SolarisConfig
from .errors import invalid_json, not_found


def json_body() -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise invalid_json("The request body is empty")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise invalid_json() from None
    if not isinstance(body, dict):
        raise invalid_json("The request body must be a JSON object")
    return body


def check_account(config: SolarisConfig, account_id: str) -> None:
    if account_id != config.account_id:
        raise not_found("Account", account_id)


def check_person(config: SolarisConfig, person_id: str, account_id: str) -> None:
    if person_id != config.person_id:
        raise not_found("Person", person_id)
    check_account(config, account_id)
