"""OKX's answer envelope and the error codes the simulator gives, with OKX's HTTP statuses.

Every answer is ``{"code": "0", "msg": "", "data": [...]}``. An error keeps the envelope with
a non-zero ``code``, OKX's message and an empty ``data``; most business errors still come
with HTTP 200. Codes, statuses and messages are those of OKX's v5 error-code table.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response

JSON = "application/json"

# code -> (HTTP status, message template with {param0}/{fee}/... placeholders)
ERRORS: dict[str, tuple[int, str]] = {
    "50000": (400, "Body for POST request cannot be empty."),
    "50001": (503, "Service temporarily unavailable. Please try again later."),
    "50002": (400, "JSON syntax error"),
    "50006": (400, 'Invalid Content-Type. Please use "application/JSON".'),
    "50011": (429, "Too Many Requests"),
    "50014": (400, "Parameter {param0} can not be empty."),
    "50026": (500, "System error. Try again later"),
    "50038": (200, "This feature is unavailable in demo trading"),
    "50101": (401, "APIKey does not match current environment."),
    "50102": (401, "Timestamp request expired."),
    "50103": (401, 'Request header "OK-ACCESS-KEY" cannot be empty.'),
    "50104": (401, 'Request header "OK-ACCESS-PASSPHRASE" cannot be empty.'),
    "50105": (401, 'Request header "OK-ACCESS-PASSPHRASE" incorrect.'),
    "50106": (401, 'Request header "OK-ACCESS-SIGN" cannot be empty.'),
    "50107": (401, 'Request header "OK-ACCESS-TIMESTAMP" cannot be empty.'),
    "50111": (401, "Invalid OK-ACCESS-KEY."),
    "50112": (401, "Invalid OK-ACCESS-TIMESTAMP."),
    "50113": (401, "Invalid signature."),
    "50115": (405, "Invalid request method."),
    "51000": (400, "Parameter {param0} error"),
    "51001": (200, "Instrument ID, Instrument ID code or Spread ID doesn't exist."),
    "58010": (200, "Chain {chain} isn't supported"),
    "58205": (200, "Withdrawal amount exceeds the upper limit."),
    "58206": (200, "Withdrawal amount is less than the lower limit."),
    "58207": (
        200,
        "Withdrawal address isn't on the verified address list. "
        "(The format for withdrawal addresses with a label is \u201caddress:label\u201d.)",
    ),
    "58214": (200, "Withdrawals suspended due to {chainName} maintenance"),
    "58215": (200, "Withdrawal ID does not exist."),
    "58216": (200, "Operation not allowed."),
    "58220": (200, "Withdrawal request already canceled."),
    "58229": (200, "Insufficient funding account balance to pay fees {fee} {ccy}"),
    "58350": (200, "Insufficient balance."),
    # OKX documents no code for a repeated withdrawal clientId; this is the Funding class's
    # "ClientId already exists" (its fiat withdrawal orders). Either way: never a second one.
    "58404": (200, "ClientId already exists"),
}


class OkxError(Exception):
    """A refusal the way OKX words it; ``params`` fill the message's placeholders."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.status, template = ERRORS[code]
        self.msg = template.format(**params)


def envelope(code: str, msg: str, data: list[Any]) -> bytes:
    return json.dumps({"code": code, "msg": msg, "data": data}).encode()


def ok(data: list[dict[str, Any]]) -> Response:
    return Response(envelope("0", "", data), status=200, content_type=JSON)


def error_response(error: OkxError) -> Response:
    return Response(envelope(error.code, error.msg, []), status=error.status, content_type=JSON)


def missing(name: str) -> OkxError:
    return OkxError("50014", param0=name)


def bad(name: str) -> OkxError:
    return OkxError("51000", param0=name)
