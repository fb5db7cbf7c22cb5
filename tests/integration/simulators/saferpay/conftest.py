"""A started Saferpay simulator, a JSON API client for it, a browser-like payment page driver
and a small local receiver for the notify and return URLs."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from devstack.demo_data import (
    SAFERPAY_API_PASSWORD,
    SAFERPAY_API_USER,
    SAFERPAY_CUSTOMER_ID,
    SAFERPAY_TERMINAL_ID,
)
from devstack.saferpay_simulator import SaferpayConfig, SaferpaySimulator
from tests.fixtures.loopback import running

AUTH = (SAFERPAY_API_USER, SAFERPAY_API_PASSWORD)


# --------------------------------------------------------------------------- the receiver
@dataclass
class Receiver:
    """Records every GET; answers each path from a queue of statuses (then 200)."""

    url: str
    hits: list[str] = field(default_factory=list)
    statuses: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, *statuses: int) -> None:
        with self.lock:
            self.statuses[path] = list(statuses)

    def calls(self, path: str) -> int:
        with self.lock:
            return self.hits.count(path)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            record = state["receiver"]
            with record.lock:
                record.hits.append(self.path)
                queue = record.statuses.get(self.path) or []
                status = queue.pop(0) if queue else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state["receiver"]
    server.shutdown()
    server.server_close()


# ------------------------------------------------------------------------- the simulator
@pytest.fixture(scope="session")
def saferpay_simulator() -> Iterator[SaferpaySimulator]:
    # Fast retries of notifications; everything else as configured for `make dev`.
    yield from running(
        SaferpaySimulator(
            SaferpayConfig(notify_retry_delay_real_seconds=0.05, notify_timeout_real_seconds=1.0)
        )
    )


@dataclass
class Saferpay:
    """The JSON API as the product will call it: base URL `<sim>/api`, Basic auth."""

    sim: SaferpaySimulator
    http: httpx.Client

    @property
    def base(self) -> str:
        return f"{self.sim.url}/api"

    @staticmethod
    def header(request_id: str | None = None, retry: int = 0) -> dict[str, Any]:
        return {
            "SpecVersion": "1.53",
            "CustomerId": SAFERPAY_CUSTOMER_ID,
            "RequestId": request_id or str(uuid.uuid4()),
            "RetryIndicator": retry,
        }

    def call(
        self,
        operation: str,
        body: dict[str, Any],
        request_id: str | None = None,
        retry: int = 0,
        auth: tuple[str, str] | None = AUTH,
    ) -> httpx.Response:
        payload = {"RequestHeader": self.header(request_id, retry), **body}
        url = f"{self.base}/Payment/v1/{operation}"
        if auth is None:  # the session client has no auth of its own
            return self.http.post(url, json=payload)
        return self.http.post(url, json=payload, auth=auth)

    def initialize_body(self, notify_base: str | None = None, **payment: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "TerminalId": SAFERPAY_TERMINAL_ID,
            "Payment": {
                "Amount": {"Value": "1050", "CurrencyCode": "EUR"},
                "OrderId": "INV-0001",
                "Description": "Invoice INV-0001",
                **payment,
            },
            "ReturnUrl": {"Url": f"{notify_base or 'http://127.0.0.1:9'}/return?link=L1"},
        }
        if notify_base:
            body["Notification"] = {
                "SuccessNotifyUrl": f"{notify_base}/success?link=L1",
                "FailNotifyUrl": f"{notify_base}/fail?link=L1",
            }
        return body

    def initialize(self, notify_base: str | None = None, **payment: Any) -> dict[str, Any]:
        response = self.call("PaymentPage/Initialize", self.initialize_body(notify_base, **payment))
        assert response.status_code == 200, response.text
        return response.json()

    def assert_(self, token: str, **kwargs: Any) -> httpx.Response:
        return self.call("PaymentPage/Assert", {"Token": token}, **kwargs)

    def capture(self, transaction_id: str, **kwargs: Any) -> httpx.Response:
        body = {"TransactionReference": {"TransactionId": transaction_id}}
        return self.call("Transaction/Capture", body, **kwargs)

    def cancel(self, transaction_id: str, **kwargs: Any) -> httpx.Response:
        body = {"TransactionReference": {"TransactionId": transaction_id}}
        return self.call("Transaction/Cancel", body, **kwargs)

    def pay(self, token: str, card_number: str, **card: Any) -> httpx.Response:
        """Pays through /_sim (no browser)."""
        body = {"card_number": card_number, **card}
        return self.http.post(f"{self.sim.url}/_sim/tokens/{token}/pay", json=body)

    def notifications(self, token: str) -> list[dict[str, Any]]:
        self.sim.wait_for_notifications()
        answer = self.http.get(f"{self.sim.url}/_sim/notifications", params={"token": token})
        return answer.json()["notifications"]


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    # One client for the whole session: a new one per call costs an SSL context each time.
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def saferpay(saferpay_simulator: SaferpaySimulator, http: httpx.Client) -> Iterator[Saferpay]:
    saferpay_simulator.reset()
    yield Saferpay(saferpay_simulator, http)
    saferpay_simulator.reset()


# ------------------------------------------------------------------- the payer's browser
class FormReader(HTMLParser):
    """The first form of a page: its action, method, inputs and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.method = "get"
        self.inputs: dict[str, str] = {}
        self.buttons: dict[str, str] = {}
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done:
            self._in_form = True
            self.action = found.get("action", "")
            self.method = found.get("method", "get").lower()
        elif self._in_form and tag == "input" and "name" in found:
            self.inputs[found["name"]] = found.get("value", "")
        elif self._in_form and tag == "button" and "name" in found:
            self.buttons[found.get("value", "")] = found["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def read_form(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    assert reader.action is not None, "no form on the page"
    return reader


def submit_card(
    http: httpx.Client, page_url: str, number: str, button: str = "pay", **fields: str
) -> tuple[httpx.Response, FormReader]:
    """What a payer does in a browser: open the page, fill its form, press a button."""
    page = http.get(page_url)
    assert page.status_code == 200, page.text
    form = read_form(page.text)
    values = dict(form.inputs)
    values.update(
        {
            "CardNumber": number,
            "ExpMonth": "12",
            "ExpYear": "2030",
            "VerificationCode": "123",
            "HolderName": "Anna Muster",
        }
    )
    values.update(fields)
    values[form.buttons[button]] = button
    target = urljoin(page_url, form.action or "")
    assert form.method == "post"
    return http.post(target, data=values, follow_redirects=False), form
