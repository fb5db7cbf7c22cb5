"""`make dev` as a person drives webhook endpoints and alerts: a contact changed in the Xero
simulator reaches an endpoint registered on the local receiver, signed; one that answers 500
twice gets it on the third try; a replay sends the same event again; addresses inside are
refused; a channel's test alert reaches Slack (the receiver) and e-mail (moto's SES)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from tests.e2e.drive import consent_in_browser, make_token, skip_unless_in_stack
from xero_bridge.notify import signing

skip_unless_in_stack(
    "devstack.xero_simulator",
    "devstack.okta_issuer",
    reason="the simulator and the dev issuer are part of this stack",
)


def _admin(stack: Any) -> dict[str, str]:
    token = make_token(stack, "root", "xero:connect", "admin")
    return {"Authorization": f"Bearer {token}"}


def _connected(stack: Any) -> tuple[str, dict[str, str]]:
    tenant = stack.settings["demo tenants"].split()[0]
    admin = _admin(stack)
    started = httpx.post(f"{stack.api}/xero/connect", json={}, headers=admin, timeout=10).json()
    assert httpx.get(consent_in_browser(started["authorize_url"], [tenant]), timeout=20).is_success
    return tenant, admin


def _calls(stack: Any, path: str) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{stack.urls['receiver']}/_receiver/calls", params={"path": path}, timeout=10
    )
    return answer.json()["calls"]


def _wait_for(stack: Any, path: str, count: int, seconds: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        calls = _calls(stack, path)
        if len(calls) >= count:
            return calls
        time.sleep(0.25)
    return _calls(stack, path)


def _change_contact(stack: Any, tenant: str, name: str) -> float:
    from devstack.xero_simulator.seed import A_CUSTOMER_ID

    xero = stack.urls["xero"]
    touched = httpx.post(
        f"{xero}/_sim/touch",
        json={
            "tenant_id": tenant,
            "kind": "Contacts",
            "id": A_CUSTOMER_ID,
            "changes": {"Name": name},
        },
        timeout=10,
    )
    assert touched.status_code == 200, touched.text
    changed = time.monotonic()
    assert httpx.post(f"{xero}/_sim/webhooks/flush", timeout=20).json()["deliveries"]
    return changed


def test_a_contact_changed_in_xero_reaches_the_endpoint_signed_then_retried_and_replayed(
    local_stack,
) -> None:
    api, receiver = local_stack.api, local_stack.urls["receiver"]
    tenant, admin = _connected(local_stack)
    hook = f"/hooks/e2e-{time.time_ns()}"
    created = httpx.post(
        f"{api}/tenants/{tenant}/webhook_endpoints",
        json={"url": f"{receiver}{hook}", "events": ["contact.*"]},
        headers=admin,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    endpoint = created.json()

    changed = _change_contact(local_stack, tenant, f"Ridgeway University {time.time_ns()}")
    [call] = _wait_for(local_stack, hook, 1)
    assert time.monotonic() - changed < 60  # within a minute of the change
    header = call["headers"]["Xerobridge-Signature"]
    assert signing.verify(endpoint["secret"], call["body"].encode(), header)
    event = json.loads(call["body"])
    assert event["type"] == "contact.updated" and event["origin"] == {"source": "xero"}

    # An endpoint that answers 500 twice gets the next change on the third try.
    httpx.post(
        f"{receiver}/_receiver/behaviour",
        json={"path_prefix": hook, "statuses": [500, 500]},
        timeout=10,
    )
    _change_contact(local_stack, tenant, f"Ridgeway University {time.time_ns()}")
    calls = _wait_for(local_stack, hook, 4, seconds=90)
    assert [c["answered"] for c in calls[1:]] == [500, 500, 200]
    assert len({json.loads(c["body"])["id"] for c in calls[1:]}) == 1

    # Replay the first delivery: the same event id again.
    path = f"{api}/tenants/{tenant}/webhook_endpoints/{endpoint['webhook_endpoint_id']}"
    deliveries = httpx.get(f"{path}/deliveries", headers=admin, timeout=10).json()["deliveries"]
    first = deliveries[-1]
    assert first["event_id"] == event["id"] and first["status"] == "delivered"
    replayed = httpx.post(
        f"{path}/deliveries/{first['delivery_id']}/replay", headers=admin, timeout=10
    )
    assert replayed.status_code == 202, replayed.text
    calls = _wait_for(local_stack, hook, 5)
    assert json.loads(calls[-1]["body"])["id"] == event["id"]
    assert signing.verify(
        endpoint["secret"], calls[-1]["body"].encode(), calls[-1]["headers"]["Xerobridge-Signature"]
    )


@pytest.mark.parametrize(
    "url",
    ["https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/hook", "http://example.com/x"],
)
def test_addresses_inside_are_refused_even_locally(local_stack, url: str) -> None:
    tenant, admin = _connected(local_stack)
    answer = httpx.post(
        f"{local_stack.api}/tenants/{tenant}/webhook_endpoints",
        json={"url": url, "events": ["*"]},
        headers=admin,
        timeout=10,
    )
    assert answer.status_code == 400, answer.text


def test_a_test_alert_reaches_slack_and_email(local_stack) -> None:
    api = local_stack.api
    tenant, admin = _connected(local_stack)
    slack_url = local_stack.settings["receiver slack url"]
    for kind, target in (("slack", slack_url), ("email", "ops@example.com")):
        created = httpx.post(
            f"{api}/tenants/{tenant}/notification_channels",
            json={"kind": kind, "target": target, "alerts": ["*"]},
            headers=admin,
            timeout=10,
        )
        assert created.status_code == 201, created.text
        channel = created.json()["notification_channel_id"]
        tested = httpx.post(
            f"{api}/tenants/{tenant}/notification_channels/{channel}/test",
            headers=admin,
            timeout=20,
        )
        assert tested.status_code == 200 and tested.json()["delivered"], tested.text
    texts = [json.loads(c["body"])["text"] for c in _calls(local_stack, "/slack/")]
    assert any("Test alert" in t for t in texts)
    sent = httpx.get(f"{local_stack.urls['aws']}/moto-api/data.json", timeout=10).json()
    messages = sent["ses"]["Message"]  # what moto's SES sent
    assert any(
        "ops@example.com" in json.dumps(m) and "Test alert" in json.dumps(m) for m in messages
    )
