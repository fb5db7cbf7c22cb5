"""Where a change came from, through the whole chain: a contact changed through the product
and one changed in Xero, Xero's signed webhooks into the local gateway, the real intake and
worker, the bus, the fan-out and the signed delivery to the receiver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.events import call_handler, http_api_event
from tests.fixtures.aws import update_app_secret
from tests.fixtures.gateway import xero_webhooks_gateway
from tests.integration.connections.conftest import (  # noqa: F401  (fixtures)
    connect_user,
    start,
    xero_env,
)
from tests.integration.notify.conftest import api
from xero_bridge.auth.principal import Principal
from xero_bridge.notify import signing
from xero_bridge.webhooks import queue


@pytest.fixture
def chain(notify, xero_env, connect_user) -> Iterator[dict[str, Any]]:  # noqa: F811

    from devstack.xero_simulator import DEMO_TENANT_A

    update_app_secret(notify, xero_webhook_key=xero_env.config.webhook_key)
    assert connect_user("root", [DEMO_TENANT_A])["statusCode"] in (200, 302)
    try:
        queue.reset_client()
        with xero_webhooks_gateway(xero_env, notify, idle_sleep=0.02) as (_, poller):
            yield {"sim": xero_env, "tenant": DEMO_TENANT_A, "poller": poller}
    finally:
        queue.reset_client()


def upsert(tenant: str, name: str, key: str) -> dict[str, Any]:
    """POST /contacts/upsert through the records API, as alice's system would."""
    principal = Principal(sub="sync-service", scopes=["records:read", "records:write"])
    from xero_bridge.persistence import grants

    grants.grant("sync-service", tenant, "test", via="admin")
    event = http_api_event(
        "POST",
        f"/tenants/{tenant}/contacts/upsert",
        body={"contacts": [{"name": name, "email_address": "sync@example.com"}]},
        headers={"Idempotency-Key": key},
        authorizer_context=principal.to_context(),
    )
    answer = call_handler("records", event)
    assert answer["statusCode"] == 200, answer
    return json.loads(answer["body"])


def test_an_echo_of_our_own_write_says_so_and_a_change_in_xero_does_not(chain, receiver) -> None:
    sim, tenant = chain["sim"], chain["tenant"]
    created = api(
        "POST",
        f"/tenants/{tenant}/webhook_endpoints",
        body={"url": f"{receiver.url}/hooks/crm", "events": ["contact.*"]},
    ).body
    ours = upsert(tenant, "Written Through The Product Ltd", "sync-key-0001")["created"][0]
    theirs = next(c for c in sim.store.book(tenant).table("Contacts") if c != ours["contact_id"])
    sim.touch(tenant, "Contacts", theirs, {"Name": "Renamed In Xero Ltd"})
    [delivery] = sim.webhooks.flush()
    assert delivery.status == 200
    assert chain["poller"].drain(timeout=60)
    calls = receiver.calls("/hooks/crm")
    events = {json.loads(c.body)["resource"]["id"]: json.loads(c.body) for c in calls}
    for call in calls:
        assert signing.verify(
            created["secret"], call.body.encode(), call.headers["Xerobridge-Signature"]
        )
    mine = events[ours["contact_id"]]
    assert mine["type"] == "contact.created"
    assert mine["origin"] == {
        "source": "xero-bridge",
        "actor": "sync-service",
        "idempotency_key": "sync-key-0001",
    }
    other = events[theirs]
    assert other["type"] == "contact.updated" and other["origin"] == {"source": "xero"}
    assert other["data"]["name"] == "Renamed In Xero Ltd"
