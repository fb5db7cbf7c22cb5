"""OAuth client credentials on /oauth2/token and the bearer check on every /v1 call."""

from __future__ import annotations

import pytest

from devstack.solaris_simulator import SolarisSimulator
from tests.integration.simulators.solaris.conftest import HTTP, Api, get_token, solaris_error


def test_client_credentials_give_a_one_hour_bearer_token(solaris: SolarisSimulator):
    answer = get_token(solaris)
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "partners"
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("auth", "data", "status", "error"),
    [
        (("demo-solaris-client", "wrong"), None, 401, "invalid_client"),
        (("someone-else", "whatever"), None, 401, "invalid_client"),
        (None, None, 401, "invalid_client"),
        (None, {"grant_type": "client_credentials", "scope": "partners",
                "client_id": "demo-solaris-client",
                "client_secret": "demo-solaris-secret-for-local-development-only"},
         401, "invalid_client"),  # only HTTP Basic authenticates the client
        ("basic", {"grant_type": "password", "scope": "partners"}, 400, "unsupported_grant_type"),
        ("basic", {"grant_type": "client_credentials", "scope": "admin"}, 400, "invalid_scope"),
    ],
)  # fmt: skip
def test_token_endpoint_refuses_what_an_oauth_server_refuses(
    solaris: SolarisSimulator, auth, data, status, error
):
    if auth == "basic":
        auth = (solaris.config.client_id, solaris.config.client_secret)
    form = data or {"grant_type": "client_credentials", "scope": "partners"}
    answer = HTTP.post(f"{solaris.url}/oauth2/token", auth=auth, data=form)
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert "access_token" not in answer.json()


def test_api_without_a_token_is_401_token_required(solaris: SolarisSimulator):
    answer = HTTP.get(f"{solaris.url}/v1/accounts/{solaris.config.account_id}/balance")
    assert answer.status_code == 401
    assert solaris_error(answer)["code"] == "token_required"


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Basic abc", "Bearer"])
def test_api_with_an_unknown_token_is_401_invalid_token(solaris: SolarisSimulator, header):
    answer = HTTP.get(
        f"{solaris.url}/v1/accounts/{solaris.config.account_id}/balance",
        headers={"Authorization": header},
    )
    assert answer.status_code == 401
    assert solaris_error(answer)["code"] == "invalid_token"


def test_a_token_dies_after_one_hour_on_the_simulated_clock(api: Api):
    path = f"/v1/accounts/{api.sim.config.account_id}/balance"
    api.sim.clock.advance(3599)
    assert api.get(path).status_code == 200
    api.sim.clock.advance(1)
    expired = api.get(path)
    assert expired.status_code == 401
    assert solaris_error(expired)["code"] == "invalid_token"
    fresh = get_token(api.sim).json()["access_token"]
    assert api.get(path, headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_unknown_api_paths_answer_in_solaris_error_shape(api: Api):
    answer = api.get("/v1/no/such/thing")
    assert answer.status_code == 404
    assert solaris_error(answer)["code"] == "not_found"
