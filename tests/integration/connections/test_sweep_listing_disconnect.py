"""The refresh sweep (due sets only, no scan), the listing (no tokens), disconnect rules."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest

from xero_bridge.connections import disconnect as disconnect_logic
from xero_bridge.connections.listing import list_connections
from xero_bridge.connections.refresh import sweep
from xero_bridge.errors import ForbiddenError, NotFoundError
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import grants, token_sets
from xero_bridge.persistence.dynamodb import dynamodb_resource


@pytest.fixture
def dynamodb_calls():
    calls: Counter[str] = Counter()
    keys: list[str] = []

    def count(params, model, **kwargs):
        calls[model.name] += 1
        if (
            model.name == "Query"
            and json.loads(params["body"]).get("IndexName") == "by_refresh_due"
        ):
            calls["DueQuery"] += 1
        if model.name == "GetItem":
            body = json.loads(params["body"])
            key = body["Key"]
            keys.append(str(next(iter(key.values()))["S"]))

    client = dynamodb_resource().meta.client
    client.meta.events.register("before-call.dynamodb.*", count)
    yield calls, keys
    client.meta.events.unregister("before-call.dynamodb.*", count)


def test_sweep_refreshes_due_and_old_sets_and_reads_nothing_else(
    manager, connect, identity, dynamodb_calls, published
):
    due = [connect(tenants=(f"due-{i}",), expires_in=400) for i in range(3)]
    idle = connect(tenants=("idle",), expires_in=1800, refresh_age_days=46)
    fresh = [connect(tenants=(f"fresh-{i}",), expires_in=1800) for i in range(4)]
    dead = connect(tenants=("dead",), expires_in=300)
    identity.live.discard(dead.refresh_token.get_secret_value())
    calls, keys = dynamodb_calls
    calls.clear()
    keys.clear()

    result = sweep(window=600, concurrency=4, manager=manager)

    assert result["due"] == 5
    assert result["refreshed"] == 4 and result["needs_reconnect"] == 1 and result["failed"] == 0
    assert "Scan" not in calls
    assert calls["DueQuery"] == 8  # one per due shard, whatever the table holds
    refreshed_ids = {s.token_set_id for s in [*due, idle, dead]}
    assert set(keys) <= refreshed_ids  # never a read of a set that is not due
    for stored in fresh:
        assert token_sets.get_token_set(stored.token_set_id).version == stored.version
    for stored in [*due, idle]:
        after = token_sets.get_token_set(stored.token_set_id)
        assert after.version == stored.version + 1
        assert after.refresh_due_at > int(time.time()) + 600
    assert (
        token_sets.get_token_set(idle.token_set_id).refresh_token_issued_at >= int(time.time()) - 5
    )
    assert connection_store.get_connection("dead", consistent=True).status == "needs_reconnect"
    assert [event for event, _ in published] == ["xero.connection.needs_reconnect"]
    # a second sweep finds nothing due: the dead set left the index
    assert sweep(window=600, manager=manager)["due"] == 0


def test_listing_shows_granted_connections_without_tokens(manager, connect):
    stored = connect(tenants=("t1", "t2"), refresh_age_days=3)
    connect(tenants=("other",))
    grants.grant("alice", "t1", granted_by="alice")
    grants.grant("alice", "t2", granted_by="alice")
    listed = list_connections("alice")
    assert [c["tenant_id"] for c in listed] == ["t1", "t2"]
    assert listed[0]["status"] == "active"
    assert listed[0]["refresh_token_age_days"] == 3
    assert listed[0]["access_token_expires_at"].endswith("+00:00")
    text = json.dumps(listed)
    assert stored.access_token.get_secret_value() not in text
    assert stored.refresh_token.get_secret_value() not in text
    assert list_connections("bob") == []


def test_disconnect_is_for_the_connector_or_an_admin(manager, connect, identity):
    connect(tenants=("t1",))
    with pytest.raises(ForbiddenError):
        disconnect_logic.disconnect("bob", False, "t1", identity=identity, manager=manager)
    with pytest.raises(NotFoundError):
        disconnect_logic.disconnect("alice", False, "nope", identity=identity, manager=manager)
    disconnect_logic.disconnect("bob", True, "t1", identity=identity, manager=manager)
    assert connection_store.get_connection("t1", consistent=True) is None


def test_disconnect_keeps_a_shared_refresh_token_until_its_last_tenant(manager, connect, identity):
    stored = connect(tenants=("t1", "t2"))
    grants.grant("alice", "t1", granted_by="alice")
    grants.grant("carol", "t1", granted_by="admin", via="admin")
    disconnect_logic.disconnect("alice", False, "t1", identity=identity, manager=manager)
    assert identity.deleted == ["conn-t1"] and identity.revoked == []
    assert token_sets.get_token_set(stored.token_set_id) is not None
    assert grants.list_users_for_tenant("t1") == []
    disconnect_logic.disconnect("alice", False, "t2", identity=identity, manager=manager)
    assert identity.deleted == ["conn-t1", "conn-t2"]
    assert identity.revoked == [stored.refresh_token.get_secret_value()]
    assert token_sets.get_token_set(stored.token_set_id) is None
