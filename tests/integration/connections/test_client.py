"""The shared Xero client: tokens from the token manager, one refresh on a 401, tenant binding,
timeouts, and the mapping of Xero's answers to the product's errors (over a loopback server)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from xero_bridge.errors import (
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServiceUnavailableError,
    UpstreamError,
    ValidationFailedError,
)
from xero_bridge.persistence import token_sets
from xero_bridge.settings import get_settings
from xero_bridge.xero import client as client_module
from xero_bridge.xero.client import accounting_api, xero_call

ORGANISATIONS = {"Organisations": [{"OrganisationID": "org-1", "Name": "Demo Ltd"}]}


class FakeAccounting:
    """Answers /api.xro/2.0/Organisation according to `script` (status, headers, body)."""

    def __init__(self) -> None:
        self.valid_tokens: set[str] = set()
        self.script: list[tuple[int, dict[str, str], Any]] = []
        self.seen: list[dict[str, str]] = []
        self.hang = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_PUT(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.do_GET()

            def do_GET(self) -> None:
                outer.seen.append(
                    {"method": self.command} | {k.lower(): v for k, v in self.headers.items()}
                )
                if outer.hang:
                    time.sleep(outer.hang)
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if outer.script:
                    status, headers, body = outer.script.pop(0)
                elif token not in outer.valid_tokens:
                    status, headers, body = 401, {}, {"Title": "Unauthorized"}
                else:
                    status, headers, body = 200, {"X-MinLimit-Remaining": "59"}, ORGANISATIONS
                data = json.dumps(body).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def xero(aws, monkeypatch) -> Iterator[FakeAccounting]:
    fake = FakeAccounting()
    monkeypatch.setenv("XERO_API_URL", fake.url)
    monkeypatch.setenv("XERO_READ_TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("XERO_RETRY_BASE_SECONDS", "0.01")
    monkeypatch.delenv("RATE_BUDGET_TABLE", raising=False)
    get_settings.cache_clear()
    client_module.reset_client_caches()
    yield fake
    fake.close()
    client_module.reset_client_caches()


def test_a_call_uses_the_stored_token_and_the_bound_tenant(xero, manager, connect):
    stored = connect(tenants=("tenant-a",))
    xero.valid_tokens.add(stored.access_token.get_secret_value())
    api = accounting_api("tenant-a", manager)
    result = xero_call(lambda: api.get_organisations("tenant-a"))
    assert result.organisations[0].name == "Demo Ltd"
    assert xero.seen[0]["xero-tenant-id"] == "tenant-a"
    assert xero.seen[0]["authorization"] == f"Bearer {stored.access_token.get_secret_value()}"


def test_raw_responses_work_too(xero, manager, connect):
    stored = connect(tenants=("tenant-a",))
    xero.valid_tokens.add(stored.access_token.get_secret_value())
    api = accounting_api("tenant-a", manager)
    raw = xero_call(lambda: api.get_organisations("tenant-a", _preload_content=False))
    assert json.loads(raw.data)["Organisations"][0]["Name"] == "Demo Ltd"


def test_a_401_refreshes_once_and_retries(xero, manager, connect, identity):
    stored = connect(tenants=("tenant-a",))  # its token is not valid at the fake Xero
    original = identity.issue

    def issue_valid(**kwargs: Any):
        issued = original(**kwargs)
        xero.valid_tokens.add(issued.access_token.get_secret_value())
        return issued

    identity.issue = issue_valid  # type: ignore[method-assign]
    api = accounting_api("tenant-a", manager)
    result = xero_call(lambda: api.get_organisations("tenant-a"))
    assert result.organisations[0].name == "Demo Ltd"
    assert identity.refresh_calls == 1
    assert len(xero.seen) == 2
    assert token_sets.get_token_set(stored.token_set_id).version == stored.version + 1


def test_a_second_401_is_an_upstream_error(xero, manager, connect, identity):
    connect(tenants=("tenant-a",))
    api = accounting_api("tenant-a", manager)
    with pytest.raises(UpstreamError) as caught:
        xero_call(lambda: api.get_organisations("tenant-a"))
    assert caught.value.status == 502
    assert identity.refresh_calls == 1 and len(xero.seen) == 2


def test_another_tenant_is_refused_before_anything_is_sent(xero, manager, connect):
    connect(tenants=("tenant-a", "tenant-b"))
    api = accounting_api("tenant-a", manager)
    with pytest.raises(ForbiddenError):
        xero_call(lambda: api.get_organisations("tenant-b"))
    assert xero.seen == []


def test_async_requests_are_refused(xero, manager, connect):
    connect(tenants=("tenant-a",))
    api = accounting_api("tenant-a", manager)
    with pytest.raises(ValueError):
        api.api_client.call_api("/x", "GET", async_req=True)


VALIDATION = {
    "ErrorNumber": 10,
    "Type": "ValidationException",
    "Message": "A validation exception occurred",
    "Elements": [
        {"ValidationErrors": [{"Message": "Account code '999' is not a valid code"}]},
        {"ValidationErrors": [{"Message": "Invoice not of valid status"}]},
    ],
}


@pytest.mark.parametrize(
    ("status", "headers", "body", "error", "code"),
    [
        (400, {}, VALIDATION, ValidationFailedError, 422),
        (403, {}, {"Title": "Forbidden"}, ForbiddenError, 403),
        (404, {}, {"Title": "Not found"}, NotFoundError, 404),
        (429, {"Retry-After": "17", "X-Rate-Limit-Problem": "minute"}, {}, RateLimitedError, 429),
        (500, {}, {}, UpstreamError, 502),
        (503, {}, {}, ServiceUnavailableError, 503),
    ],
)
def test_xero_answers_become_our_errors(xero, manager, connect, status, headers, body, error, code):
    stored = connect(tenants=("tenant-a",))
    xero.valid_tokens.add(stored.access_token.get_secret_value())
    xero.script.extend([(status, headers, body)] * 4)  # as often as the client would ask
    api = accounting_api("tenant-a", manager)
    with pytest.raises(error) as caught:
        xero_call(lambda: api.get_organisations("tenant-a"))
    assert caught.value.status == code
    if status == 400:
        assert caught.value.details == [
            {"element": 0, "message": "Account code '999' is not a valid code"},
            {"element": 1, "message": "Invoice not of valid status"},
        ]
    if status == 429:
        assert caught.value.headers == {"Retry-After": "17"}
        assert caught.value.details == [{"limit": "minute"}]
    # Only Xero's "not now" answers are asked again; a 429 whose wait is too long is not.
    assert len(xero.seen) == (4 if status == 503 else 1)


def test_a_hung_xero_times_out_quickly(xero, manager, connect):
    stored = connect(tenants=("tenant-a",))
    xero.valid_tokens.add(stored.access_token.get_secret_value())
    xero.hang = 2.0
    api = accounting_api("tenant-a", manager)
    started = time.monotonic()
    with pytest.raises(ServiceUnavailableError):
        xero_call(lambda: api.get_organisations("tenant-a"))
    assert time.monotonic() - started < 1.5  # one 0.5 s read timeout, no read retries


# ---------------------------------------------------------------------------- repeats
@pytest.fixture
def ready(xero, manager, connect):
    stored = connect(tenants=("tenant-a",))
    xero.valid_tokens.add(stored.access_token.get_secret_value())
    return accounting_api("tenant-a", manager)


def _put(api: Any, headers: dict[str, str]) -> Any:
    return api.api_client.call_api(
        api.get_resource_url("/Organisation"),
        "PUT",
        None,
        [],
        {"xero-tenant-id": "tenant-a", "Content-Type": "application/json", **headers},
        body={"Name": "x"},
        response_type=None,
        auth_settings=["OAuth2"],
        _return_http_data_only=True,
        _preload_content=False,
    )


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_passing_outage_is_ridden_out_on_reads(ready, xero, status):
    xero.script.extend([(status, {}, {"Title": "Unavailable"})] * 2)
    result = xero_call(lambda: ready.get_organisations("tenant-a"))
    assert result.organisations[0].name == "Demo Ltd"
    assert len(xero.seen) == 3


def test_a_429_with_a_short_retry_after_is_waited_out(ready, xero, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr("xero_bridge.xero.retries.sleep", waits.append)
    xero.script.append((429, {"Retry-After": "2", "X-Rate-Limit-Problem": "concurrent"}, {}))
    result = xero_call(lambda: ready.get_organisations("tenant-a"))
    assert result.organisations[0].name == "Demo Ltd"
    assert waits == [2.0]  # exactly what Xero asked for
    assert len(xero.seen) == 2


def test_the_total_wait_is_bounded(ready, xero, monkeypatch):
    monkeypatch.setenv("XERO_RETRY_MAX_WAIT_SECONDS", "5")
    get_settings.cache_clear()
    waits: list[float] = []
    monkeypatch.setattr("xero_bridge.xero.retries.sleep", waits.append)
    xero.script.extend([(429, {"Retry-After": "3"}, {})] * 3)
    with pytest.raises(RateLimitedError) as caught:
        xero_call(lambda: ready.get_organisations("tenant-a"))
    assert waits == [3.0]  # a second 3 s wait would pass the 5 s allowance: passed on instead
    assert caught.value.retry_after == 3
    assert len(xero.seen) == 2


def test_a_server_error_is_not_repeated(ready, xero):
    xero.script.extend([(500, {}, {})] * 2)
    with pytest.raises(UpstreamError):
        xero_call(lambda: ready.get_organisations("tenant-a"))
    assert len(xero.seen) == 1


def test_a_write_without_idempotency_key_is_not_repeated_after_a_503(ready, xero):
    xero.script.append((503, {}, {}))
    with pytest.raises(ServiceUnavailableError):
        xero_call(lambda: _put(ready, {}))
    assert [seen["method"] for seen in xero.seen] == ["PUT"]


def test_a_write_with_idempotency_key_is_repeated_with_the_same_key(ready, xero):
    xero.script.append((503, {}, {}))
    response = xero_call(lambda: _put(ready, {"Idempotency-Key": "pay-1"}))
    assert response.status == 200
    assert [(s["method"], s["idempotency-key"]) for s in xero.seen] == [("PUT", "pay-1")] * 2


def test_a_429_on_a_write_is_repeated_xero_did_nothing(ready, xero, monkeypatch):
    monkeypatch.setattr("xero_bridge.xero.retries.sleep", lambda seconds: None)
    xero.script.append((429, {"Retry-After": "1"}, {}))
    assert xero_call(lambda: _put(ready, {})).status == 200
    assert len(xero.seen) == 2


def test_a_connection_that_never_opened_is_repeated(xero, manager, connect, monkeypatch):
    stored = connect(tenants=("tenant-a",))
    xero.valid_tokens.add(stored.access_token.get_secret_value())
    xero.close()  # nobody listens on the port any more
    monkeypatch.setenv("XERO_CONNECT_TIMEOUT_SECONDS", "0.2")
    get_settings.cache_clear()
    tries: list[float] = []
    monkeypatch.setattr("xero_bridge.xero.retries.sleep", tries.append)
    api = accounting_api("tenant-a", manager)
    with pytest.raises(ServiceUnavailableError):
        xero_call(lambda: api.get_organisations("tenant-a"))
    assert len(tries) == 3  # four attempts in all (each with urllib3's own connect retries)
