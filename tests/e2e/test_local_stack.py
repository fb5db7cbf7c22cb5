"""`make dev` as a person uses it: the printed interface, /health, a clean stop."""

import re

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


def test_the_console_shows_the_interface_and_the_services_chatter_goes_to_files(local_stack):
    httpx.get(f"{local_stack.api}/health", timeout=10)
    interface = local_stack.output[: local_stack.output.index("ready")]
    for line in interface:
        assert re.fullmatch(r"[a-z]+: http://\S+|  [a-z ()]+: \S.*", line), line
    stderr = (local_stack.state_dir / "devstack.stderr.log").read_text()
    assert "HTTP/1.1" not in stderr  # neither moto's request lines nor the gateway's
    logs = local_stack.state_dir / "logs"
    assert '"POST / HTTP/1.1" 200' in (logs / "moto.log").read_text()
    assert '"GET /health HTTP/1.1" 200' in (logs / "gateway.log").read_text()
    assert local_stack.settings["service logs"] == str(logs)


def test_it_prints_the_simulators_client_id_and_secret(local_stack):
    if not available("devstack.xero_simulator"):
        return
    from devstack.xero_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    assert local_stack.settings["xero client id"] == DEMO_CLIENT_ID
    assert local_stack.settings["xero client secret"] == DEMO_CLIENT_SECRET


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


def test_it_serves_the_console_which_the_api_and_okta_admit(local_stack):
    names = [line.split(": ")[0] for line in local_stack.output if re.match(r"[a-z]+: http", line)]
    assert names.index("web") == names.index("openai") + 1  # the order the README shows
    web = local_stack.urls["web"]
    page = httpx.get(f"{web}/payments/anything", timeout=10)  # a console route: the SPA fallback
    assert page.status_code == 200 and '<div id="root">' in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    config = httpx.get(f"{web}/config.json", timeout=10).json()
    assert config == {
        "apiUrl": local_stack.api,
        "oktaIssuer": local_stack.settings["okta issuer"],
        "oktaClientId": local_stack.settings["okta client id"],
    }
    for origin in (web, web.replace("localhost", "127.0.0.1")):
        preflight = {"Origin": origin, "Access-Control-Request-Method": "POST"}
        api = httpx.options(f"{local_stack.api}/tenants/t/payments", headers=preflight)
        assert api.headers.get("access-control-allow-origin") == origin
        assert "idempotency-key" in api.headers["access-control-allow-headers"]
        okta = httpx.options(f"{config['oktaIssuer']}/v1/token", headers=preflight)
        assert okta.headers.get("access-control-allow-origin") == origin
    stranger = {"Origin": "http://localhost:1", "Access-Control-Request-Method": "POST"}
    refused = httpx.options(f"{local_stack.api}/tenants/t/payments", headers=stranger)
    assert "access-control-allow-origin" not in refused.headers
