"""A tiny OKX client for the simulator's tests: signs requests the way OKX documents.

Written from OKX's docs, independently of the simulator's own signing code, so a test that
passes shows the simulator accepts what a real OKX client sends (the product's client
comes later).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from devstack import demo_data

VERIFIED_ADDRESS = demo_data.OKX_VERIFIED_ADDRESSES[0][2]
# The `control` fixture: (method, /_sim path, JSON body) -> the JSON answer.
Control = Callable[..., Any]


def okx_sign(secret: str, timestamp: str, method: str, request_path: str, body: str) -> str:
    prehash = timestamp + method.upper() + request_path + body
    mac = hmac.new(secret.encode("utf-8"), prehash.encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def iso_ms(seconds: float) -> str:
    """OKX's OK-ACCESS-TIMESTAMP: ISO 8601 UTC with milliseconds, e.g. 2020-12-08T09:08:57.715Z."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class OkxClient:
    base_url: str
    now: Callable[[], float]  # the simulator's clock, so the timestamp is current for it
    http: httpx.Client
    api_key: str = demo_data.OKX_API_KEY
    secret: str = demo_data.OKX_SECRET_KEY
    passphrase: str = demo_data.OKX_PASSPHRASE
    demo: bool = False

    def request(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None = None,
        body: Any = None,
        *,
        timestamp: str | None = None,
        headers: dict[str, str | None] | None = None,
        raw: str | None = None,
        signed_body: str | None = None,
        timeout: float = 10.0,
    ) -> httpx.Response:
        """`body` goes as compact JSON, or `raw` exactly as given; `headers` entries replace
        the signed ones (None removes one); `signed_body` signs another body than the one sent."""
        request_path = f"{path}?{urlencode(params)}" if params else path
        if raw is None:
            raw = "" if body is None else json.dumps(body, separators=(",", ":"))
        stamp = timestamp or iso_ms(self.now())
        signature = okx_sign(
            self.secret, stamp, method, request_path, raw if signed_body is None else signed_body
        )
        sent: dict[str, str | None] = {
            "OK-ACCESS-KEY": self.api_key,
            "OK-ACCESS-SIGN": signature,
            "OK-ACCESS-TIMESTAMP": stamp,
            "OK-ACCESS-PASSPHRASE": self.passphrase,
            "Content-Type": "application/json",
        }
        if self.demo:
            sent["x-simulated-trading"] = "1"
        sent.update(headers or {})
        final = {k: v for k, v in sent.items() if v is not None}
        return self.http.request(
            method, self.base_url + request_path, headers=final, content=raw, timeout=timeout
        )

    def get(self, path: str, **params: str) -> httpx.Response:
        return self.request("GET", path, params=params or None)

    def post(self, path: str, body: Any, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, body=body, **kwargs)

    def withdraw(self, **fields: str) -> httpx.Response:
        """A valid USDT-TRC20 withdrawal to the verified address unless told otherwise."""
        body = {
            "ccy": "USDT",
            "amt": "100",
            "dest": "4",
            "toAddr": VERIFIED_ADDRESS,
            "chain": "USDT-TRC20",
            **fields,
        }
        return self.post("/api/v5/asset/withdrawal", {k: v for k, v in body.items() if v})

    def history(self, **params: str) -> list[dict[str, Any]]:
        return data(self.get("/api/v5/asset/withdrawal-history", **params))

    def balance(self, ccy: str) -> dict[str, str]:
        rows = data(self.get("/api/v5/asset/balances", ccy=ccy))
        return rows[0] if rows else {}


def data(response: httpx.Response) -> list[dict[str, Any]]:
    """The `data` of a successful OKX answer (HTTP 200, code "0")."""
    body = response.json()
    assert response.status_code == 200 and body["code"] == "0", response.text
    assert body["msg"] == ""
    return list(body["data"])


def refused(response: httpx.Response, code: str, status: int = 200) -> str:
    """Asserts OKX's refusal shape (code, msg, empty data); returns the message."""
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), response.text
    assert body["data"] == [] and body["msg"]
    return str(body["msg"])
