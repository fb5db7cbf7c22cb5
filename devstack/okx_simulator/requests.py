"""Reading request bodies and parameters the way OKX does, before any money is looked at.

OKX takes every parameter as a string; an empty string is the same as leaving it out (the
official SDK sends `"chain": ""` and `"clientId": ""` for unset arguments). JSON numbers are
read as Decimal, never as floats.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .config import ChainSpec, OkxConfig
from .errors import OkxError, bad, missing

CLIENT_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")  # "case-sensitive alphanumerics, up to 32"
ON_CHAIN = "4"
INTERNAL = "3"


def json_body(content_type: str | None, raw: str) -> dict[str, Any]:
    """A POST body as OKX accepts it: application/json, not empty, a JSON object."""
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        raise OkxError("50006")
    if not raw.strip():
        raise OkxError("50000")
    try:
        body = json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise OkxError("50002") from None
    if not isinstance(body, dict):
        raise OkxError("50002")
    return body


def text_param(params: dict[str, Any], name: str, required: bool = False) -> str:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise missing(name)
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise bad(name)
    return str(value)


def amount(text: str, tick_size: int) -> Decimal:
    """A positive amount with no more decimals than the chain's withdrawal precision."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise bad("amt") from None
    if not value.is_finite() or value <= 0:
        raise bad("amt")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > tick_size:
        raise bad("amt")
    return value


@dataclass(frozen=True)
class WithdrawalRequest:
    spec: ChainSpec
    amt: Decimal
    amt_text: str
    to_addr: str
    client_id: str


def withdrawal_request(body: dict[str, Any], config: OkxConfig) -> WithdrawalRequest:
    """POST /api/v5/asset/withdrawal's parameters, checked; money checks come later."""
    ccy = text_param(body, "ccy", required=True)
    amt_text = text_param(body, "amt", required=True)
    dest = text_param(body, "dest", required=True)
    to_addr = text_param(body, "toAddr", required=True)
    chain = text_param(body, "chain")
    client_id = text_param(body, "clientId")
    # Internal transfers (dest 3) go to OKX users, not to chains: not simulated.
    if dest != ON_CHAIN:
        raise bad("dest")
    if client_id and not CLIENT_ID.match(client_id):
        raise bad("clientId")
    if not config.knows_ccy(ccy):
        raise bad("ccy")
    spec = config.chain(ccy, chain or None)
    if spec is None:
        raise OkxError("58010", chain=chain)
    if not spec.can_wd:
        raise OkxError("58214", chainName=spec.chain)
    return WithdrawalRequest(spec, amount(amt_text, spec.wd_tick_sz), amt_text, to_addr, client_id)


def limit_param(params: dict[str, Any], default: int = 100, most: int = 100) -> int:
    text = text_param(params, "limit")
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise bad("limit")
    return int(text)


def ms_param(params: dict[str, Any], name: str) -> int | None:
    text = text_param(params, name)
    if not text:
        return None
    if not text.isdigit():
        raise bad(name)
    return int(text)
