"""A running GoCardless simulator, an SDK client for it, a webhook receiver, and the way to a
mandate that every payment test needs (the billing request flow's HTML form)."""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import gocardless_pro
import httpx
import pytest
from werkzeug.wrappers import Request, Response

from devstack.gocardless_simulator import GoCardlessConfig, GoCardlessSimulator
from tests.fixtures.loopback import running, serving

# One client for the page and /_sim/ (a new one per call costs ~0.1 s of TLS setup).
http = httpx.Client(timeout=10)
STEP = 60.0  # sim seconds between a scenario's steps, so tests move time themselves
ADDRESS = {
    "address_line1": "Hauptstr. 1",
    "city": "Berlin",
    "postal_code": "10115",
    "country_code": "DE",
}


def stepped_config(webhook_url: str) -> GoCardlessConfig:
    """GoCardless as the tests drive it: a scenario moves a step (STEP) only when a test moves
    the clock, and webhooks wait until a test has them sent."""
    return GoCardlessConfig(webhook_url=webhook_url, scenario_step=STEP, webhook_auto_deliver=False)


@dataclass
class Delivery:
    body: bytes
    headers: dict[str, str]
    signature_ok: bool


@dataclass
class Receiver:
    """The product's webhook endpoint in miniature: checks the signature (498 when wrong,
    as GoCardless asks) and answers `answers` in turn, then 204."""

    secret: str
    answers: list[int] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = request.get_data()
        expected = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, request.headers.get("Webhook-Signature", ""))
        with self._lock:
            self.deliveries.append(Delivery(body, dict(request.headers), ok))
            status = self.answers.pop(0) if self.answers else 204
        return Response(status=status if ok else 498)(environ, start_response)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.deliveries) >= count:
                    return list(self.deliveries)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} webhooks, got {len(self.deliveries)}")


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    secret = GoCardlessConfig().webhook_secret
    hook = Receiver(secret)
    with serving(hook, quiet=True) as base:
        hook.url = f"{base}/webhooks/gocardless"
        yield hook


@pytest.fixture(scope="session")
def running_sim(receiver: Receiver) -> Iterator[GoCardlessSimulator]:
    yield from running(GoCardlessSimulator(stepped_config(receiver.url)))


@pytest.fixture
def sim(running_sim: GoCardlessSimulator, receiver: Receiver) -> GoCardlessSimulator:
    running_sim.reset()
    receiver.deliveries.clear()
    receiver.answers.clear()
    return running_sim


@pytest.fixture
def client(sim: GoCardlessSimulator) -> gocardless_pro.Client:
    return gocardless_pro.Client(access_token=sim.config.access_token, base_url=sim.url)


def form_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(\w+)"(?: value="([^"]*)")?', page))


def authorise_on_page(url: str, **answers: str) -> httpx.Response:
    """Opens a flow's authorisation page and submits its form with `answers` filled in."""
    page = http.get(url)
    assert page.status_code == 200, page.text
    form = {**form_fields(page.text), **answers}
    action = url.split("?")[0]
    return http.post(action, data=form)


def mandate_for(client: gocardless_pro.Client, sim: GoCardlessSimulator, given_name: str) -> str:
    """A customer called `given_name` sets up a SEPA mandate on the hosted page; the mandate
    is then left to become active. Answers its id."""
    request = client.billing_requests.create(params={"mandate_request": {"currency": "EUR"}})
    flow = client.billing_request_flows.create(
        params={
            "links": {"billing_request": request.id},
            "redirect_uri": "https://shop.example/done",
        }
    )
    done = authorise_on_page(
        flow.authorisation_url,
        given_name=given_name,
        family_name="Tester",
        email=f"{given_name.lower()}@example.com",
        **ADDRESS,
    )
    assert done.status_code == 303, done.text
    mandate_id = client.billing_requests.get(request.id).links.mandate_request_mandate
    sim.advance(3 * 86400)
    assert client.mandates.get(mandate_id).status == "active"
    return mandate_id
