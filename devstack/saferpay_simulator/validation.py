"""Reading requests as the JSON API specifies them; what does not fit is VALIDATION_FAILED
with one ``ErrorDetail`` line per problem (``"<Path>: <what is wrong>"``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .config import SaferpayConfig
from .errors import permission_denied, validation_failed

ID = re.compile(r"[A-Za-z0-9.:\-_]+")  # the spec's "Id" format
PAYMENT_METHODS = frozenset(
    [
        "ACCOUNTTOACCOUNT",
        "ALIPAY",
        "AMEX",
        "BANCONTACT",
        "BLIK",
        "DINERS",
        "CARD",
        "DIRECTDEBIT",
        "EPRZELEWY",
        "EPS",
        "GIFTCARD",
        "IDEAL",
        "JCB",
        "KLARNA",
        "MAESTRO",
        "MASTERCARD",
        "PAYCONIQ",
        "PAYPAL",
        "POSTFINANCEPAY",
        "REKA",
        "TWINT",
        "UNIONPAY",
        "VISA",
        "WECHATPAY",
        "WERO",
    ]
)
MAX_URL = 2000


@dataclass(frozen=True)
class RequestHeader:
    spec_version: str
    customer_id: str
    request_id: str
    retry_indicator: int


@dataclass(frozen=True)
class InitializeRequest:
    terminal_id: str
    amount_value: str  # minor units, as on the wire
    currency: str
    order_id: str | None
    description: str
    return_url: str
    success_notify_url: str | None
    fail_notify_url: str | None
    payment_methods: list[str] | None


class Checker:
    """Collects problems while reading one body; ``done()`` raises them all at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def obj(
        self, data: dict[str, Any] | None, path: str, required: bool = True
    ) -> dict[str, Any] | None:
        """The object at `path`; None (and a problem if required) when it is not one."""
        value = self._present(data, path, required)
        if value is None or isinstance(value, dict):
            return value
        self.problems.append(f"{path}: The field {_leaf(path)} must be an object.")
        return None

    def text(
        self,
        data: dict[str, Any] | None,
        path: str,
        required: bool = True,
        max_len: int = 1000,
        pattern: re.Pattern[str] | None = None,
    ) -> str | None:
        value = self._present(data, path, required, blank_is_missing=True)
        if value is None:
            return None
        name = _leaf(path)
        if not isinstance(value, str):
            self.problems.append(f"{path}: The field {name} must be a string.")
            return None
        if len(value) > max_len or (pattern is not None and not pattern.fullmatch(value)):
            self.problems.append(f"{path}: The field {name} is invalid.")
            return None
        return value

    def url(self, data: dict[str, Any] | None, path: str, required: bool = True) -> str | None:
        value = self.text(data, path, required=required, max_len=MAX_URL)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.problems.append(f"{path}: The field {_leaf(path)} must be an http(s) URL.")
            return None
        return value

    def _present(
        self,
        data: dict[str, Any] | None,
        path: str,
        required: bool,
        *,
        blank_is_missing: bool = False,
    ) -> Any:
        """The value at `path`, or None when it is missing (a problem if `required`). A None
        `data` means the parent is missing and was reported already: nothing more to say."""
        if data is None:
            return None
        value = data.get(_leaf(path))
        if value is None or (blank_is_missing and value == ""):
            if required:
                self.problems.append(f"{path}: The {_leaf(path)} field is required.")
            return None
        return value

    def done(self) -> None:
        if self.problems:
            raise validation_failed(self.problems)


def read_header(body: dict[str, Any], config: SaferpayConfig) -> RequestHeader:
    check = Checker()
    header = check.obj(body, "RequestHeader")
    version = check.text(header, "RequestHeader.SpecVersion", max_len=10)
    if version is not None and version not in config.spec_versions:
        check.problems.append(f"RequestHeader.SpecVersion: Value {version} is not supported.")
    customer = check.text(header, "RequestHeader.CustomerId", max_len=8, pattern=re.compile(r"\d+"))
    if customer is not None and customer != config.customer_id:
        check.problems.append("RequestHeader.CustomerId: invalid customerId")
    request_id = check.text(header, "RequestHeader.RequestId", max_len=50, pattern=ID)
    retry = header.get("RetryIndicator") if header is not None else None
    if header is not None and "RetryIndicator" not in header:
        check.problems.append("RequestHeader.RetryIndicator: The RetryIndicator field is required.")
    elif header is not None and (
        isinstance(retry, bool) or not isinstance(retry, int) or not 0 <= retry <= 9
    ):
        check.problems.append("RequestHeader.RetryIndicator: The field must be between 0 and 9.")
    check.done()
    assert version and customer and request_id and isinstance(retry, int)
    return RequestHeader(version, customer, request_id, retry)


def response_header(body: Any, config: SaferpayConfig) -> dict[str, str]:
    """Echoes the request's SpecVersion and RequestId where it has usable ones."""
    header = body.get("RequestHeader") if isinstance(body, dict) else None
    header = header if isinstance(header, dict) else {}
    version = header.get("SpecVersion")
    request_id = header.get("RequestId")
    return {
        "SpecVersion": version if version in config.spec_versions else config.spec_versions[-1],
        "RequestId": request_id if isinstance(request_id, str) else "",
    }


def read_initialize(body: dict[str, Any], config: SaferpayConfig) -> InitializeRequest:
    check = Checker()
    terminal = check.text(body, "TerminalId", max_len=8, pattern=re.compile(r"\d{8}"))
    payment = check.obj(body, "Payment")
    amount = check.obj(payment, "Payment.Amount")
    value = check.text(amount, "Payment.Amount.Value", max_len=18, pattern=re.compile(r"\d+"))
    if value is not None and int(value) <= 0:
        check.problems.append("Payment.Amount.Value: The field Value must be greater than 0.")
    elif value is not None:
        value = str(int(value))  # "0100" is 100
    currency = check.text(amount, "Payment.Amount.CurrencyCode", max_len=3)
    if currency is not None and currency not in config.currencies:
        check.problems.append("Payment.Amount.CurrencyCode: The field CurrencyCode is invalid.")
    order_id = check.text(payment, "Payment.OrderId", required=False, max_len=80, pattern=ID)
    description = check.text(payment, "Payment.Description")
    return_url = check.url(check.obj(body, "ReturnUrl"), "ReturnUrl.Url")
    notification = check.obj(body, "Notification", required=False)
    success_url = check.url(notification, "Notification.SuccessNotifyUrl", required=False)
    fail_url = check.url(notification, "Notification.FailNotifyUrl", required=False)
    methods = _payment_methods(body, check)
    check.done()
    assert terminal and value and currency and description and return_url
    if terminal not in config.terminal_ids:
        raise permission_denied(f"TerminalId: terminal {terminal} does not belong to the customer")
    return InitializeRequest(
        terminal,
        value,
        currency,
        order_id,
        description,
        return_url,
        success_url,
        fail_url,
        methods,
    )


def read_token(body: dict[str, Any]) -> str:
    check = Checker()
    token = check.text(body, "Token", max_len=50, pattern=ID)
    check.done()
    assert token is not None
    return token


def read_transaction_reference(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(TransactionId, OrderId): exactly one of them must be set."""
    check = Checker()
    reference = check.obj(body, "TransactionReference")
    transaction_id = check.text(
        reference,
        "TransactionReference.TransactionId",
        required=False,
        max_len=64,
        pattern=re.compile(r"[A-Za-z0-9]+"),
    )
    order_id = check.text(
        reference, "TransactionReference.OrderId", required=False, max_len=80, pattern=ID
    )
    if (
        reference is not None
        and not check.problems
        and (transaction_id is None) == (order_id is None)
    ):
        check.problems.append("TransactionReference: Exactly one element must be set.")
    check.done()
    return transaction_id, order_id


def read_capture_amount(body: dict[str, Any]) -> tuple[str, str] | None:
    """The optional Capture ``Amount`` as (Value, CurrencyCode)."""
    if body.get("Amount") is None:
        return None
    check = Checker()
    amount = check.obj(body, "Amount")
    value = check.text(amount, "Amount.Value", max_len=18, pattern=re.compile(r"\d+"))
    currency = check.text(amount, "Amount.CurrencyCode", max_len=3, pattern=re.compile("[A-Z]{3}"))
    check.done()
    assert value is not None and currency is not None
    return value, currency


def _payment_methods(body: dict[str, Any], check: Checker) -> list[str] | None:
    methods = body.get("PaymentMethods")
    if methods is None:
        return None
    if not isinstance(methods, list) or not all(isinstance(m, str) for m in methods):
        check.problems.append("PaymentMethods: The field PaymentMethods must be a list of strings.")
        return None
    unknown = [m for m in methods if m not in PAYMENT_METHODS]
    if unknown:
        check.problems.append(f"PaymentMethods: Unknown value(s) {', '.join(unknown)}.")
    return list(methods)


def _leaf(path: str) -> str:
    return path.rsplit(".", 1)[-1]
