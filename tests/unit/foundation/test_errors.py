import json

import pytest

from devstack.events import http_api_event
from xero_bridge.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServiceUnavailableError,
    UnauthorizedError,
    UpstreamError,
    ValidationFailedError,
)
from xero_bridge.http.resolver import HttpApi


def error_response(exc: BaseException) -> dict:
    """What a route of the shared resolver answers when it raises `exc`."""
    app = HttpApi()

    @app.get("/boom")
    def boom() -> dict:
        raise exc

    return app.resolve(http_api_event("GET", "/boom"), None)


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (BadRequestError("bad"), 400, "bad_request"),
        (UnauthorizedError("who"), 401, "unauthorized"),
        (ForbiddenError("no"), 403, "forbidden"),
        (NotFoundError("gone"), 404, "not_found"),
        (ConflictError("again"), 409, "conflict"),
        (ValidationFailedError("xero said no", ["Amount is too big"]), 422, "validation_failed"),
        (UpstreamError("xero failed"), 502, "upstream_error"),
        (ServiceUnavailableError("down"), 503, "service_unavailable"),
    ],
)
def test_each_error_maps_to_its_status_and_the_design_body(error, status, code):
    response = error_response(error)
    assert response["statusCode"] == status
    assert response["headers"]["Content-Type"] == "application/json"
    body = json.loads(response["body"])
    assert body == {"error": {"code": code, "message": error.message, "details": error.details}}


def test_rate_limited_carries_retry_after_rounded_up():
    response = error_response(RateLimitedError("wait", retry_after=2.2))
    assert response["statusCode"] == 429
    assert response["headers"]["Retry-After"] == "3"


def test_an_unexpected_exception_reveals_nothing():
    secret = "refresh-token-value-abcdef123456"
    try:
        raise RuntimeError(f"boom with {secret}")
    except RuntimeError as exc:
        response = error_response(exc)
    assert response["statusCode"] == 500
    assert secret not in response["body"]
    assert "Traceback" not in response["body"]
    assert json.loads(response["body"])["error"]["code"] == "internal_error"
