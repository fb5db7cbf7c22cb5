"""The token manager: on-demand refresh, serialised under concurrency, never losing the newest
refresh token; invalid_grant marks needs_reconnect; client-credentials sets."""

from __future__ import annotations

import threading
import time

import pytest

from tests.integration.connections.helpers import refresh_at_once
from xero_bridge.errors import NotFoundError
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import token_sets
from xero_bridge.xero.tokens import (
    NEEDS_RECONNECT_EVENT,
    ReconnectRequiredError,
    refresh_due_at,
)


def test_a_fresh_token_is_used_as_stored(manager, connect, identity):
    stored = connect()
    assert manager.access_token("tenant-a") == stored.access_token.get_secret_value()
    assert identity.refresh_calls == 0


def test_an_expiring_token_is_refreshed_and_stored_before_use(manager, connect, identity):
    stored = connect(expires_in=120)  # inside the 300 s margin
    token = manager.access_token("tenant-a")
    assert identity.refresh_calls == 1
    now_stored = token_sets.get_token_set(stored.token_set_id)
    assert now_stored.version == stored.version + 1
    assert (
        now_stored.access_token.get_secret_value()
        == token
        != stored.access_token.get_secret_value()
    )
    assert now_stored.refresh_token.get_secret_value() in identity.live
    assert now_stored.refresh_token.get_secret_value() != stored.refresh_token.get_secret_value()
    assert now_stored.refresh_due_at == now_stored.access_expires_at - 300


def test_unknown_tenant_is_not_found(manager):
    with pytest.raises(NotFoundError):
        manager.access_token("nobody")


def test_twenty_concurrent_refreshes_call_xero_once_and_keep_the_newest_token(
    manager, connect, identity
):
    identity.delay = 0.05  # widen the window in which refreshers overlap
    stored = connect()
    results = refresh_at_once(manager.refresh, stored.token_set_id)
    final = token_sets.get_token_set(stored.token_set_id)
    assert identity.refresh_calls == 1
    assert final.version == stored.version + 1
    assert set(results) == {final.access_token.get_secret_value()}
    # the stored refresh token is the newest Xero issued, and still usable
    assert final.refresh_token.get_secret_value() in identity.live
    assert final.refresh_token.get_secret_value() not in identity.first_used
    assert final.refresh_lease_until is None


def test_concurrent_refreshes_without_grace_still_leave_a_working_token(manager, connect, identity):
    """Even with no grace period at all (a reused token is dead at once), serialised refreshes
    never use a rotated-away token."""
    identity.grace = 0.0
    identity.delay = 0.02
    stored = connect(expires_in=60)
    threads = [threading.Thread(target=lambda: manager.access_token("tenant-a")) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = token_sets.get_token_set(stored.token_set_id)
    assert final.status == "active"
    assert identity.refresh_calls == 1
    # and the next refresh with the stored token works
    again = manager.refresh(stored.token_set_id, until=int(time.time()) + 10_000)
    assert again.version == final.version + 1


def test_a_stale_401_token_already_replaced_is_not_refreshed_again(manager, connect, identity):
    stored = connect()
    first = manager.refresh(
        stored.token_set_id, stale_access_token=stored.access_token.get_secret_value()
    )
    second = manager.refresh(
        stored.token_set_id, stale_access_token=stored.access_token.get_secret_value()
    )
    assert identity.refresh_calls == 1
    assert first.access_token.get_secret_value() == second.access_token.get_secret_value()


def test_a_lost_save_uses_the_winners_tokens(manager, connect, identity):
    """Our save loses the version race (someone wrote meanwhile): we take the stored winner."""
    stored = connect(expires_in=60)
    winner: dict = {}

    def someone_else_writes() -> None:
        identity.on_refresh = None
        current = token_sets.get_token_set(stored.token_set_id)
        fresh = identity.issue()
        winner["set"] = token_sets.save_token_set(
            current.model_copy(
                update={
                    "access_token": fresh.access_token,
                    "refresh_token": fresh.refresh_token,
                    "access_expires_at": fresh.expires_at,
                    "refresh_due_at": fresh.expires_at - 300,
                }
            ),
            current.version,
        )

    identity.on_refresh = someone_else_writes
    result = manager.refresh(stored.token_set_id)
    final = token_sets.get_token_set(stored.token_set_id)
    assert final.version == winner["set"].version
    assert result.access_token.get_secret_value() == final.access_token.get_secret_value()
    assert final.refresh_token.get_secret_value() == winner["set"].refresh_token.get_secret_value()


def test_invalid_grant_marks_set_and_connections_and_publishes(
    manager, connect, identity, published
):
    stored = connect(tenants=("tenant-a", "tenant-b"), expires_in=60)
    identity.live.clear()  # the refresh token is dead at Xero
    with pytest.raises(ReconnectRequiredError) as caught:
        manager.access_token("tenant-a")
    assert caught.value.status == 409
    final = token_sets.get_token_set(stored.token_set_id)
    assert final.status == "needs_reconnect"
    assert final.refresh_due_at is None  # out of the sweep's index
    for tenant in ("tenant-a", "tenant-b"):
        assert connection_store.get_connection(tenant, consistent=True).status == "needs_reconnect"
    assert published == [
        (
            NEEDS_RECONNECT_EVENT,
            {
                "token_set_id": stored.token_set_id,
                "tenant_ids": ["tenant-a", "tenant-b"],
                "connected_by": "alice",
            },
        )
    ]
    # later callers are told at once, without calling Xero again
    calls = identity.refresh_calls
    with pytest.raises(ReconnectRequiredError):
        manager.access_token("tenant-b")
    assert identity.refresh_calls == calls


def test_a_failed_refresh_gives_the_lease_back(manager, connect, identity):
    from xero_bridge.errors import ServiceUnavailableError

    stored = connect(expires_in=60)

    def down(refresh_token: str):
        raise ServiceUnavailableError("Xero is down")

    original = identity.refresh
    identity.refresh = down  # type: ignore[method-assign]
    with pytest.raises(ServiceUnavailableError):
        manager.access_token("tenant-a")
    assert token_sets.get_token_set(stored.token_set_id).refresh_lease_until is None
    identity.refresh = original  # type: ignore[method-assign]
    assert manager.access_token("tenant-a")


def test_client_credentials_sets_get_a_new_token_not_a_refresh(manager, connect, identity):
    stored = connect(kind="client_credentials", expires_in=60)
    assert stored.refresh_token is None
    token = manager.access_token("tenant-a")
    assert identity.client_credentials_calls == 1 and identity.refresh_calls == 0
    final = token_sets.get_token_set(stored.token_set_id)
    assert final.access_token.get_secret_value() == token
    assert final.kind == "client_credentials" and final.refresh_token is None


def test_refresh_due_at_covers_idle_refresh_tokens():
    now = 1_000_000
    assert refresh_due_at("authorization_code", now + 1800, now, 300, 45) == now + 1500
    old = now - 45 * 86400 + 100
    assert refresh_due_at("authorization_code", now + 1800, old, 300, 45) == now + 100
    assert refresh_due_at("client_credentials", now + 1800, old, 300, 45) == now + 1500
