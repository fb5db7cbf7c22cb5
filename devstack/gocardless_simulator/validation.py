"""Field checks shared by the endpoints, each adding GoCardless's message to FieldErrors."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .errors import FieldErrors, invalid_api_usage
from .store import Record

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def envelope(body: Any, key: str, required: bool = True) -> Record:
    """The resource under its name (`{"payments": {...}}`, `{"data": {...}}` for actions);
    anything else is GoCardless's invalid_document_structure."""
    if body is None and not required:
        return {}
    if not isinstance(body, dict) or set(body) - {key} or (required and key not in body):
        raise invalid_api_usage(400, "invalid_document_structure", "Invalid document structure")
    inner = body.get(key)
    if inner is None and not required:
        return {}
    if not isinstance(inner, dict):
        raise invalid_api_usage(400, "invalid_document_structure", "Invalid document structure")
    return inner


def metadata(errors: FieldErrors, data: Record, path: str = "metadata") -> dict[str, str]:
    """Up to three keys of up to 50 characters, string values of up to 500."""
    value = data.get("metadata")
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add(path, "must be an object")
        return {}
    if len(value) > 3:
        errors.add(path, "must have at most 3 keys")
    for key, item in value.items():
        if len(key) > 50:
            errors.add(path, "keys must be at most 50 characters")
        if not isinstance(item, str):
            errors.add(path, "values must be strings")
        elif len(item) > 500:
            errors.add(path, "values must be at most 500 characters")
    return dict(value)


def text(
    errors: FieldErrors, data: Record, name: str, required: bool = False, max_length: int = 255
) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            errors.add(name, "is required")
        return None
    if not isinstance(value, str):
        errors.add(name, "must be a string")
        return None
    if len(value) > max_length:
        errors.add(name, f"is too long (maximum is {max_length} characters)")
    return value


def amount(errors: FieldErrors, data: Record, name: str = "amount", path: str = "") -> int | None:
    """Money at GoCardless is an integer in minor units (cents, pence), at least 1."""
    value = data.get(name)
    where = path or name
    if value is None:
        errors.add(where, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(where, "must be an integer (in the currency's minor unit)")
        return None
    if value < 1:
        errors.add(where, "must be greater than or equal to 1")
        return None
    return value


def email(errors: FieldErrors, data: Record, required: bool = False) -> str | None:
    value = text(errors, data, "email", required=required)
    if value is not None and not EMAIL.fullmatch(value):
        errors.add("email", "is invalid")
    return value


def charge_date(errors: FieldErrors, data: Record) -> date | None:
    value = data.get("charge_date")
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add("charge_date", "must be a date in the format YYYY-MM-DD")
        return None


def links(data: Record) -> Record:
    value = data.get("links")
    return value if isinstance(value, dict) else {}
