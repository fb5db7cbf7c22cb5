"""Injected faults: plain 5xx, slow answers, and transfers whose answer is lost."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.simulators.solaris.conftest import (
    HTTP,
    MATCH,
    Api,
    sim_get,
    sim_post,
    solaris_error,
)


def _fault(api: Api, **fault) -> None:
    answer = HTTP.post(f"{api.sim.url}/_sim/faults", json=fault)
    assert answer.status_code == 201, answer.text


def test_the_next_n_calls_answer_503_in_solaris_shape_then_it_recovers(api: Api):
    _fault(api, kind="error", status=503, times=2, path_prefix="/v1/accounts")
    path = f"/v1/accounts/{api.sim.config.account_id}/balance"
    first, second, third = api.get(path), api.get(path), api.get(path)
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert solaris_error(first)["code"] == "service_unavailable"
    assert sim_get(api.sim, "/faults")["faults"] == []


def test_an_error_fault_happens_before_the_api_so_nothing_is_made(api: Api):
    body = api.transfer_body(MATCH)
    _fault(api, kind="error", status=500, method="POST", path_prefix=api.person_path)
    assert api.pay(body).status_code == 500
    assert sim_get(api.sim, "/transfers")["count"] == 0
    assert api.pay(body).status_code == 201


def test_a_lost_answer_still_made_the_transfer_and_a_retry_finds_it(api: Api):
    body = api.transfer_body(MATCH, cents=8_000)
    _fault(api, kind="lose", status=502, path_prefix=api.person_path)
    lost = api.pay(body)
    assert lost.status_code == 502
    assert solaris_error(lost)["code"] == "bad_gateway"
    (made,) = sim_get(api.sim, "/transfers")["transfers"]
    retry = api.pay(body)
    assert retry.status_code == 200
    assert retry.json()["id"] == made["id"]
    assert sim_get(api.sim, "/transfers")["count"] == 1


def test_a_dropped_connection_after_the_transfer_was_made(api: Api):
    body = api.transfer_body(MATCH)
    _fault(api, kind="lose", status=0, path_prefix=api.person_path)
    with pytest.raises(httpx.TransportError):
        api.pay(body)
    assert sim_get(api.sim, "/transfers")["count"] == 1
    assert api.pay(body).status_code == 200


def test_a_lost_confirm_answer_can_be_confirmed_again(api: Api):
    change = api.pay(api.transfer_body(MATCH, change_request_enabled=True)).json()
    api.authorize(change["id"])
    _fault(api, kind="lose", status=0, path_prefix=f"/v1/change_requests/{change['id']}/confirm")
    with pytest.raises(httpx.TransportError):
        api.confirm(change["id"], "212212")
    again = api.confirm(change["id"], "212212")
    assert again.json()["status"] == "COMPLETED"
    assert sim_get(api.sim, "/transfers")["count"] == 1


def test_a_slow_answer_times_the_client_out_although_the_transfer_was_made(api: Api):
    body = api.transfer_body(MATCH)
    _fault(api, kind="slow", delay=0.5, path_prefix=api.person_path)
    with pytest.raises(httpx.ReadTimeout):
        api.post(api.person_path, json=body, timeout=0.1)
    assert sim_get(api.sim, "/transfers")["count"] == 1


def test_a_drop_fault_closes_the_connection_before_anything_happens(api: Api):
    body = api.transfer_body(MATCH)
    _fault(api, kind="drop", path_prefix=api.person_path)
    with pytest.raises(httpx.TransportError):
        api.pay(body)
    assert sim_get(api.sim, "/transfers")["count"] == 0


def test_faults_never_touch_the_control_routes_and_bad_ones_are_refused(api: Api):
    _fault(api, kind="error", status=503, times=None)
    assert HTTP.get(f"{api.sim.url}/_sim/transfers").status_code == 200
    assert HTTP.delete(f"{api.sim.url}/_sim/faults").status_code == 204
    refused = HTTP.post(f"{api.sim.url}/_sim/faults", json={"kind": "lose", "status": 404})
    assert refused.status_code == 400
    assert HTTP.post(f"{api.sim.url}/_sim/faults", json={"kind": "boom"}).status_code == 400
    assert sim_post(api.sim, "/reset")["ok"] is True
