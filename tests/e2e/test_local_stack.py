"""`make dev` as a person uses it: the printed interface, /health, a clean stop."""

import httpx

from devstack.demo import available
from tests.e2e.conftest import start_stack, stop_stack

SERVICES = {
    "api": "devstack.gateway",
    "aws": "devstack.aws",
    "xero": "devstack.xero_simulator",
    "okta": "devstack.okta_issuer",
    "openai": "devstack.fake_openai",
}


def test_it_prints_each_service_and_ready(local_stack):
    for name, module in SERVICES.items():
        if available(module):
            assert local_stack.urls[name].startswith("http://127.0.0.1:")
    assert local_stack.output[-1] == "ready" or "ready" in local_stack.output


def test_health_answers_from_the_real_handler(local_stack):
    response = httpx.get(f"{local_stack.api}/health", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["tokens_table"]["ok"] is True
    assert body["checks"]["app_secret"]["ok"] is True


def test_protected_routes_need_a_token(local_stack):
    response = httpx.post(
        f"{local_stack.api}/tenants/any-tenant/ask", json={"question": "hi"}, timeout=10
    )
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}


def test_ctrl_c_stops_everything_cleanly(tmp_path):
    stack = start_stack(tmp_path)
    api = stack.api
    assert stop_stack(stack) == 0
    assert stack.output[-1] == "stopping"
    try:
        httpx.get(f"{api}/health", timeout=2)
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("the gateway still answers after Ctrl-C")
