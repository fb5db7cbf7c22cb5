"""Who may call, with which headers, and GoCardless's error bodies for what goes wrong."""

from __future__ import annotations

import gocardless_pro
import pytest
from gocardless_pro import errors

from devstack.gocardless_simulator import API_VERSION, GoCardlessSimulator

from .conftest import http


def headers(sim: GoCardlessSimulator, **extra: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {sim.config.access_token}",
        "GoCardless-Version": API_VERSION,
        "Content-Type": "application/json",
        **extra,
    }


def test_a_wrong_token_is_refused_with_gocardless_error_body(sim: GoCardlessSimulator):
    intruder = gocardless_pro.Client(access_token="sandbox_stolen", base_url=sim.url)
    with pytest.raises(errors.AuthenticationError) as refused:
        intruder.payments.list()
    assert refused.value.code == 401
    assert refused.value.errors[0]["reason"] == "access_token_not_found"
    answer = http.get(f"{sim.url}/payments", headers={"GoCardless-Version": API_VERSION})
    assert answer.status_code == 401
    error = answer.json()["error"]
    assert set(error) == {"message", "errors", "documentation_url", "type", "request_id", "code"}
    assert error["type"] == "invalid_api_usage"
    assert error["errors"][0]["reason"] == "missing_authorization_header"
    assert error["documentation_url"].startswith("https://developer.gocardless.com/api-reference#")


def test_the_version_header_is_required_and_must_be_known(sim: GoCardlessSimulator):
    missing = http.get(
        f"{sim.url}/payments", headers={"Authorization": f"Bearer {sim.config.access_token}"}
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["errors"][0]["reason"] == "missing_version_header"
    unknown = http.get(
        f"{sim.url}/payments", headers=headers(sim, **{"GoCardless-Version": "2024-01-01"})
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"]["errors"][0]["reason"] == "version_not_found"
    assert http.get(f"{sim.url}/payments", headers=headers(sim)).status_code == 200


def test_a_body_must_carry_the_resource_under_its_name(sim: GoCardlessSimulator):
    wrong = http.post(
        f"{sim.url}/customers", headers=headers(sim), json={"customer": {"given_name": "A"}}
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["errors"][0]["reason"] == "invalid_document_structure"
    garbage = http.post(f"{sim.url}/customers", headers=headers(sim), content=b"{not json")
    assert garbage.status_code == 400


def test_unknown_ids_and_paths_are_404(client: gocardless_pro.Client, sim: GoCardlessSimulator):
    with pytest.raises(errors.InvalidApiUsageError) as unknown:
        client.mandates.get("MD000000000000")
    assert unknown.value.code == 404 and unknown.value.errors[0]["reason"] == "resource_not_found"
    nowhere = http.get(f"{sim.url}/nowhere", headers=headers(sim))
    assert nowhere.status_code == 404 and nowhere.json()["error"]["type"] == "invalid_api_usage"


def test_past_the_rate_limit_calls_get_429(client: gocardless_pro.Client, sim: GoCardlessSimulator):
    sim.config.rate_limit_per_minute = 2
    client.customers.list()
    assert client._api_client.rate_limit.remaining == 1
    client.customers.list()
    with pytest.raises(errors.RateLimitError):
        client.customers.list()
    sim.advance(60)
    assert client.customers.list().records == []


def test_customer_and_metadata_validation(client: gocardless_pro.Client):
    with pytest.raises(errors.ValidationFailedError) as nameless:
        client.customers.create(params={"email": "a@example.com"})
    assert nameless.value.errors[0]["field"] == "given_name"
    with pytest.raises(errors.ValidationFailedError) as bad:
        client.customers.create(
            params={
                "company_name": "Acme",
                "email": "not-an-address",
                "metadata": {"a": "1", "b": "2", "c": "3", "d": "4"},
            }
        )
    assert {e["field"] for e in bad.value.errors} == {"email", "metadata"}
    created = client.customers.create(params={"company_name": "Acme", "email": "ap@acme.example"})
    assert created.id.startswith("CU")


def test_the_control_surface_needs_no_token(sim: GoCardlessSimulator):
    assert http.get(f"{sim.url}/_sim/resources").json()["payments"] == 0
    assert http.post(f"{sim.url}/_sim/clock/advance", json={"days": 1}).json()["offset"] == 86400
    assert http.patch(f"{sim.url}/_sim/config", json={"nonsense": 1}).status_code == 400
