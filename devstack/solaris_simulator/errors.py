"""Solaris's error body, ``{"errors": [{id, status, code, title, detail, source}]}``."""

from __future__ import annotations

from typing import Any

from flask import Response

from .wire import json_response, new_id


class SolarisError(Exception):
    """Raised anywhere in request handling; the app turns it into Solaris's error answer."""

    def __init__(
        self, status: int, code: str, title: str, detail: str, field: str | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.field = field

    def body(self) -> dict[str, Any]:
        source: dict[str, str] = {"message": self.detail}
        if self.field:
            source = {"field": self.field, "message": self.detail}
        error = {
            "id": new_id("ex"),
            "status": self.status,
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
            "source": source,
        }
        return {"errors": [error]}

    def response(self) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return json_response(self.body(), self.status, headers)


def invalid_model(field: str, message: str) -> SolarisError:
    return SolarisError(400, "invalid_model", "Invalid Model", f"{field} {message}", field)


def type_error(field: str, message: str) -> SolarisError:
    return SolarisError(400, "type_error", "Type Error", f"{field} {message}", field)


def invalid_json(detail: str = "The request body is not valid JSON") -> SolarisError:
    return SolarisError(400, "invalid_json", "Invalid JSON", detail)


def token_required() -> SolarisError:
    return SolarisError(401, "token_required", "Token Required", "No access token was provided")


def invalid_token() -> SolarisError:
    return SolarisError(
        401, "invalid_token", "Invalid Token", "The access token is expired or malformed"
    )


def unauthorized_action(detail: str) -> SolarisError:
    return SolarisError(403, "unauthorized_action", "Unauthorized Action", detail)


def invalid_tan() -> SolarisError:
    return SolarisError(403, "invalid_tan", "Invalid TAN", "The TAN is not valid")


def not_found(model: str, model_id: str) -> SolarisError:
    return SolarisError(
        404, "model_not_found", "Model Not Found", f"Couldn't find '{model}' for id '{model_id}'."
    )


def unprocessable(code: str, title: str, detail: str, field: str | None = None) -> SolarisError:
    return SolarisError(422, code, title, detail, field)


def server_error(status: int) -> SolarisError:
    """What an injected 429 or 5xx answers, by status, as Solaris names them."""
    named = {
        429: ("too_many_requests", "Too Many Requests"),
        500: ("generic_error", "Generic Error"),
        502: ("bad_gateway", "Bad Gateway"),
        503: ("service_unavailable", "Service Unavailable"),
        504: ("gateway_timeout", "Gateway Timeout"),
    }
    code, title = named.get(status, ("generic_error", "Generic Error"))
    return SolarisError(status, code, title, "Simulated fault")
