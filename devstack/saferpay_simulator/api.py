"""The JSON API under ``/api/Payment/v1``: PaymentPage Initialize and Assert, Transaction
Capture and Cancel. Every call: Basic auth with the JSON API user, JSON in and out, a valid
RequestHeader, and Saferpay's retry rule (see replay.py)."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, g, request

from . import validation
from .errors import SaferpayError, authentication_failed, validation_failed
from .validation import RequestHeader
from .wire import json_response

if TYPE_CHECKING:
    from .server import SaferpaySimulator

Operation = Callable[[dict[str, Any], RequestHeader], dict[str, Any]]


class PlainError(Exception):
    """What the web server answers before the API sees a request (no JSON body)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def create_api_blueprint(sim: SaferpaySimulator) -> Blueprint:
    bp = Blueprint("saferpay_api", __name__, url_prefix="/api/Payment/v1")

    def initialize(body: dict[str, Any], header: RequestHeader) -> dict[str, Any]:
        session = sim.ledger.initialize(validation.read_initialize(body, sim.config))
        return {
            "Token": session.token,
            "Expiration": sim.iso(session.expires_at),
            "RedirectUrl": sim.page_url(session),
        }

    def assert_payment(body: dict[str, Any], header: RequestHeader) -> dict[str, Any]:
        return sim.ledger.assert_payment(validation.read_token(body))

    def capture(body: dict[str, Any], header: RequestHeader) -> dict[str, Any]:
        transaction_id, order_id = validation.read_transaction_reference(body)
        amount = validation.read_capture_amount(body)
        return sim.ledger.capture(transaction_id, order_id, amount)

    def cancel(body: dict[str, Any], header: RequestHeader) -> dict[str, Any]:
        transaction_id, order_id = validation.read_transaction_reference(body)
        return sim.ledger.cancel(transaction_id, order_id)

    operations: dict[str, Operation] = {
        "PaymentPage/Initialize": initialize,
        "PaymentPage/Assert": assert_payment,
        "Transaction/Capture": capture,
        "Transaction/Cancel": cancel,
    }
    for name, operation in operations.items():
        bp.add_url_rule(
            f"/{name}",
            endpoint=name.replace("/", "_"),
            view_func=_view(sim, name, operation),
            methods=["POST"],
        )
    return bp


def _view(sim: SaferpaySimulator, name: str, operation: Operation) -> Callable[[], Response]:
    def view() -> Response:
        return handle(sim, name, operation)

    return view


def handle(sim: SaferpaySimulator, name: str, operation: Operation) -> Response:
    """Auth, media types, RequestHeader, retry memory, then the operation itself."""
    body = _json_body()
    response_header = validation.response_header(body, sim.config)
    try:
        _check_auth(sim)
        _check_media_types()
        if not isinstance(body, dict):
            raise validation_failed(["Request body: A JSON object is required."])
        header = validation.read_header(body, sim.config)
        g.request_id, g.retry_indicator = header.request_id, header.retry_indicator
        with sim.store.lock:  # check-then-act for a RequestId is atomic
            remembered = sim.replays.recall(name, header, body)
            if remembered is not None:
                g.replayed = True
                return json_response(remembered.body, remembered.status)
            answer = {"ResponseHeader": response_header, **operation(body, header)}
            sim.replays.remember(name, header, body, 200, answer)
        return json_response(answer)
    except SaferpayError as error:
        return json_response(error.body(response_header), error.status)
    except PlainError as error:
        return Response(error.text, status=error.status, content_type="text/plain")


def _json_body() -> Any:
    try:
        return json.loads(request.get_data() or b"null")
    except ValueError:
        return None


def _check_auth(sim: SaferpaySimulator) -> None:
    auth = request.authorization
    config = sim.config
    if auth is None or auth.type != "basic":
        raise authentication_failed()
    user_ok = hmac.compare_digest((auth.username or "").encode(), config.api_user.encode())
    password_ok = hmac.compare_digest((auth.password or "").encode(), config.api_password.encode())
    if not (user_ok and password_ok):
        raise authentication_failed()


def _check_media_types() -> None:
    if request.mimetype != "application/json":
        raise PlainError(415, "Unsupported Media Type: use Content-Type: application/json")
    accepted = request.accept_mimetypes
    if accepted and not accepted.accept_json:
        raise PlainError(406, "Not Acceptable: use Accept: application/json")
