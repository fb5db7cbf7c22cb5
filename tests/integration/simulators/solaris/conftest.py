"""One Solaris simulator (and one webhook receiver) per test session, reset before each test.

- ``solaris``: the simulator, reset, with its webhook URL pointing at ``receiver``.
- ``receiver``: a small local HTTP server standing in for the product's
  ``POST /webhooks/solaris``; it records every request and answers the statuses queued in
  ``receiver.statuses`` (200 once they run out).
- ``api``: an httpx client for the simulator holding a fresh access token, with helpers.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from werkzeug.wrappers import Request, Response

from devstack.demo_data import SOLARIS_PAYEES, SepaPayee
from devstack.solaris_simulator import SolarisConfig, SolarisSimulator
from tests.fixtures.loopback import running, serving

MATCH, CLOSE_MATCH, NO_MATCH, DECLINES = SOLARIS_PAYEES
OTHER_VALID_IBAN = "DE82370400440532013999"  # right checksum, not a demo payee
SCT = "transactions/sepa_credit_transfer"
# One client for every test: a new httpx client per call builds an SSL context each time.
HTTP = httpx.Client(timeout=10)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self.lock:
            self.requests.append(Received(dict(request.headers), request.get_data()))
            status = self.statuses.pop(0) if self.statuses else 200
        return Response("", status=status)(environ, start_response)

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.statuses.clear()


@pytest.fixture(scope="session")
def _receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    with serving(receiver) as base:
        receiver.url = f"{base}/webhooks/solaris"
        yield receiver


@pytest.fixture(scope="session")
def _simulator(_receiver: Receiver) -> Iterator[SolarisSimulator]:
    yield from running(
        SolarisSimulator(SolarisConfig(webhook_url=_receiver.url, webhook_timeout=2.0))
    )


@pytest.fixture
def receiver(_receiver: Receiver) -> Receiver:
    _receiver.clear()
    return _receiver


@pytest.fixture
def solaris(_simulator: SolarisSimulator, receiver: Receiver) -> SolarisSimulator:
    _simulator.reset()
    return _simulator


def get_token(sim: SolarisSimulator) -> httpx.Response:
    return HTTP.post(
        f"{sim.url}/oauth2/token",
        auth=(sim.config.client_id, sim.config.client_secret),
        data={"grant_type": "client_credentials", "scope": "partners"},
    )


@dataclass
class Api:
    sim: SolarisSimulator
    token: str

    @property
    def person_path(self) -> str:
        config = self.sim.config
        return f"/v1/persons/{config.person_id}/accounts/{config.account_id}/{SCT}"

    @property
    def account_path(self) -> str:
        return f"/v1/accounts/{self.sim.config.account_id}/{SCT}"

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return HTTP.request(method, self.sim.url + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def verify(self, iban: str, name: str) -> httpx.Response:
        return self.post("/v1/verifications_of_payee", json={"iban": iban, "name": name})

    def transfer_body(
        self, payee: SepaPayee = MATCH, cents: int = 12_345, **overrides: Any
    ) -> dict[str, Any]:
        """A valid transfer to `payee` (its Verification of Payee made just now)."""
        verified = self.verify(payee.iban, payee.xero_name)
        assert verified.status_code == 201, verified.text
        body = {
            "amount": {"value": cents, "unit": "cents", "currency": "EUR"},
            "recipient_iban": payee.iban,
            "recipient_name": payee.xero_name,
            "recipient_bic": payee.bic,
            "description": "Bill INV-0042",
            "end_to_end_id": "XB-0042",
            "reference": str(uuid.uuid4()),
            "change_request_enabled": False,
            "verification_of_payee_id": verified.json()["id"],
        }
        body.update(overrides)
        return body

    def pay(self, body: dict[str, Any]) -> httpx.Response:
        return self.post(self.person_path, json=body)

    def balance(self) -> tuple[int, int]:
        answer = self.get(f"/v1/accounts/{self.sim.config.account_id}/balance").json()
        return answer["balance"]["value"], answer["available_balance"]["value"]

    def authorize(self, change_request_id: str, method: str = "static") -> httpx.Response:
        body = {"delivery_method": method, "person_id": self.sim.config.person_id}
        return self.post(f"/v1/change_requests/{change_request_id}/authorize", json=body)

    def confirm(self, change_request_id: str, tan: str) -> httpx.Response:
        body = {"person_id": self.sim.config.person_id, "tan": tan}
        return self.post(f"/v1/change_requests/{change_request_id}/confirm", json=body)


@pytest.fixture
def api(solaris: SolarisSimulator) -> Api:
    answer = get_token(solaris)
    assert answer.status_code == 200, answer.text
    return Api(solaris, answer.json()["access_token"])


def sim_get(sim: SolarisSimulator, path: str) -> Any:
    return HTTP.get(f"{sim.url}/_sim{path}").json()


def sim_post(sim: SolarisSimulator, path: str, body: dict[str, Any] | None = None) -> Any:
    answer = HTTP.post(f"{sim.url}/_sim{path}", json=body or {})
    assert answer.status_code < 300, answer.text
    return answer.json()


def sim_put(sim: SolarisSimulator, path: str, body: dict[str, Any]) -> Any:
    answer = HTTP.put(f"{sim.url}/_sim{path}", json=body)
    assert answer.status_code < 300, answer.text
    return answer.json()


def solaris_error(answer: httpx.Response) -> dict[str, Any]:
    """The one error of a Solaris error body, after checking the body has Solaris's shape."""
    body = answer.json()
    assert list(body) == ["errors"] and len(body["errors"]) == 1, body
    error = body["errors"][0]
    assert set(error) == {"id", "status", "code", "title", "detail", "source"}, error
    assert error["status"] == answer.status_code
    return error
