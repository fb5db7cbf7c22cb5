"""`make dev` as a person drives it: a dev token, connect Xero in the simulator's consent
page, and the tenants appear; another user reaches none of them."""

import gzip
import time

import boto3
import httpx

from tests.e2e.drive import consent_in_browser, make_token, skip_unless_in_stack

skip_unless_in_stack(
    "devstack.xero_simulator",
    "devstack.okta_issuer",
    reason="the simulator and the dev issuer are part of this stack",
)


def test_connect_xero_and_see_the_tenants(local_stack):
    api = local_stack.api
    tenants = local_stack.settings["demo tenants"].split()
    alice = {"Authorization": f"Bearer {make_token(local_stack, 'alice', 'xero:connect ask')}"}

    started = httpx.post(f"{api}/xero/connect", json={}, headers=alice, timeout=10)
    assert started.status_code == 200, started.text
    authorize_url = started.json()["authorize_url"]
    assert authorize_url.startswith(local_stack.urls["xero"])
    assert "code_challenge=" in authorize_url and "state=" in authorize_url

    callback = consent_in_browser(authorize_url, tenants)
    assert callback.startswith(f"{api}/xero/callback?")
    finished = httpx.get(callback, timeout=20)
    assert finished.status_code == 200, finished.text

    listed = httpx.get(f"{api}/xero/connections", headers=alice, timeout=10)
    assert listed.status_code == 200
    connections = listed.json()["connections"]
    assert {c["tenant_id"] for c in connections} == set(tenants)
    assert {c["status"] for c in connections} == {"active"}
    for connection in connections:  # expiry and age, never the tokens themselves
        assert not {"access_token", "refresh_token"} & set(connection)
    assert "eyJ" not in listed.text  # no JWT-shaped value anywhere

    # The same state cannot be used twice.
    assert httpx.get(callback, timeout=20).status_code in (400, 409)

    # bob was granted nothing: his own list is empty and alice's tenants are closed to him.
    bob = {"Authorization": f"Bearer {make_token(local_stack, 'bob', 'ask')}"}
    assert httpx.get(f"{api}/xero/connections", headers=bob, timeout=10).json() == {
        "connections": []
    }
    before = httpx.get(f"{local_stack.urls['xero']}/_sim/calls", timeout=10).json()
    refused = httpx.post(
        f"{api}/tenants/{tenants[0]}/ask",
        json={"question": "Who owes us?"},
        headers=bob,
        timeout=10,
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    after = httpx.get(f"{local_stack.urls['xero']}/_sim/calls", timeout=10).json()
    assert after == before  # Xero never saw a call for him


def test_an_invoice_changed_in_xero_updates_its_snapshot(local_stack):
    """Simulator webhook → gateway intake → local queue → worker → snapshot in DynamoDB."""
    from devstack.xero_simulator.seed import A_INVOICE_AUTHORISED_ID

    api, xero = local_stack.api, local_stack.urls["xero"]
    tenant = local_stack.settings["demo tenants"].split()[0]
    alice = {"Authorization": f"Bearer {make_token(local_stack, 'alice', 'xero:connect')}"}
    started = httpx.post(f"{api}/xero/connect", json={}, headers=alice, timeout=10).json()
    assert httpx.get(consent_in_browser(started["authorize_url"], [tenant]), timeout=20).is_success

    reference = f"changed in Xero {time.time_ns()}"
    touched = httpx.post(
        f"{xero}/_sim/touch",
        json={
            "tenant_id": tenant,
            "id": A_INVOICE_AUTHORISED_ID,
            "changes": {"Reference": reference},
        },
        timeout=10,
    )
    assert touched.status_code == 200
    flushed = httpx.post(f"{xero}/_sim/webhooks/flush", timeout=20).json()
    assert flushed, "the simulator delivered the change to the local gateway"

    snapshots = boto3.resource(
        "dynamodb",
        endpoint_url=local_stack.urls["aws"],
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table("SnapshotsTable")
    key = {"tenant_id": tenant, "resource_key": f"INVOICE#{A_INVOICE_AUTHORISED_ID}"}
    deadline, stored = time.monotonic() + 30, ""
    while time.monotonic() < deadline and reference not in stored:
        item = snapshots.get_item(Key=key, ConsistentRead=True).get("Item") or {}
        packed = item.get("data_gzip")
        stored = gzip.decompress(packed.value).decode() if packed else str(item.get("data", ""))
        time.sleep(0.3)
    assert reference in stored, "the worker stored the changed invoice"
