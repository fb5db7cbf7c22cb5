"""The second factor: a change request is authorised (a TAN is sent) and then confirmed.

A TAN cycle lasts ``tan_ttl`` (five minutes); after it the request answers 422 expired until
it is authorised again. Too many wrong TANs fail it, and its reference is free again. A
confirmed request answers its result again on every later confirm: one transfer, ever.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from .bank import Bank
from .errors import invalid_model, invalid_tan, not_found, unauthorized_action, unprocessable
from .models import ChangeRequest

DELIVERY_METHODS = ("mobile_number", "static", "device_signing")


def _find(bank: Bank, change_request_id: str, person_id: Any) -> ChangeRequest:
    change = bank.change_requests.get(change_request_id)
    if change is None:
        raise not_found("ChangeRequest", change_request_id)
    if not isinstance(person_id, str) or not person_id:
        raise invalid_model("person_id", "is missing")
    if person_id != change.person_id:
        raise unauthorized_action("The person may not authorize this change request")
    return change


def _wrong_state(change: ChangeRequest, action: str) -> Exception:
    return unprocessable(
        "invalid_change_request_state",
        "Invalid Change Request State",
        f"A change request in status {change.status} cannot be {action}",
    )


def _expired() -> Exception:
    return unprocessable(
        "change_request_expired",
        "Change Request Expired",
        "The change request has expired; authorize it again for a new TAN",
    )


def authorize(bank: Bank, change_request_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Starts a TAN cycle: `static` uses the sandbox TAN, `mobile_number` a random one."""
    method = body.get("delivery_method")
    with bank.lock:
        change = _find(bank, change_request_id, body.get("person_id"))
        if method not in DELIVERY_METHODS:
            raise invalid_model(
                "delivery_method", f"is not included in the list {DELIVERY_METHODS}"
            )
        if method == "device_signing":
            raise invalid_model("delivery_method", "needs a bound device; this person has none")
        if change.status in ("COMPLETED", "FAILED"):
            raise _wrong_state(change, "authorized")
        config = bank.config()
        now = bank.clock.now()
        change.delivery_method = str(method)
        change.tan = config.static_tan if method == "static" else f"{secrets.randbelow(10**6):06d}"
        change.tan_expires_at = now + config.tan_ttl
        change.wrong_tans = 0
        change.status = "CONFIRMATION_REQUIRED"
        change.updated_at = now
        return change.render(bank.base_url())


def confirm(bank: Bank, change_request_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Checks the TAN and, the first time it is right, makes the transfer."""
    with bank.lock:
        change = _find(bank, change_request_id, body.get("person_id"))
        if change.status == "COMPLETED":
            return change.render(bank.base_url())
        if change.status in ("AUTHORIZATION_REQUIRED", "FAILED"):
            raise _wrong_state(change, "confirmed")
        now = bank.clock.now()
        if change.status == "EXPIRED" or now >= (change.tan_expires_at or 0):
            change.status, change.updated_at = "EXPIRED", now
            raise _expired()
        tan = body.get("tan")
        if not isinstance(tan, str) or not tan:
            raise invalid_model("tan", "is missing")
        if not hmac.compare_digest(tan.encode(), (change.tan or "").encode()):
            _count_wrong_tan(bank, change, now)
            raise invalid_tan()
        bank.check_funds(change.request)
        transfer = bank.book_transfer(change.account_id, change.request, change.transfer_id)
        change.status, change.updated_at = "COMPLETED", now
        change.response_code, change.response_body = 201, transfer.render()
        return change.render(bank.base_url())


def _count_wrong_tan(bank: Bank, change: ChangeRequest, now: float) -> None:
    change.wrong_tans += 1
    change.updated_at = now
    if change.wrong_tans >= bank.config().max_tan_attempts:
        change.status = "FAILED"
        bank.forget_reference(change.account_id, change.request.reference)
        # Nothing was made, so the payee check may serve the next try.
        verification = bank.verifications.get(change.request.verification_of_payee_id)
        used_for = verification.used_for if verification else None
        if verification and used_for and used_for.get("id") == change.transfer_id:
            verification.used_for = None


def show(bank: Bank, change_request_id: str) -> dict[str, Any]:
    with bank.lock:
        change = bank.change_requests.get(change_request_id)
        if change is None:
            raise not_found("ChangeRequest", change_request_id)
        if change.status == "CONFIRMATION_REQUIRED" and bank.clock.now() >= (
            change.tan_expires_at or 0
        ):
            change.status = "EXPIRED"
        return change.render(bank.base_url())
