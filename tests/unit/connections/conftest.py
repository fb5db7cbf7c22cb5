from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.unit.connections.fakes import FakeIdentity
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import token_sets
from xero_bridge.persistence.connections import Connection
from xero_bridge.persistence.token_sets import TokenSet
from xero_bridge.xero.tokens import TokenManager


@pytest.fixture
def identity() -> FakeIdentity:
    return FakeIdentity()


@pytest.fixture
def published() -> list[tuple[str, dict[str, Any]]]:
    return []


@pytest.fixture
def manager(aws: Any, identity: FakeIdentity, published: list) -> Iterator[TokenManager]:
    yield TokenManager(
        identity_for=lambda kind: identity,  # type: ignore[arg-type,return-value]
        publish=lambda detail_type, detail: published.append((detail_type, detail)),
    )


@pytest.fixture
def connect(manager: TokenManager, identity: FakeIdentity) -> Callable[..., TokenSet]:
    """Store a token set (as the callback would) reaching `tenants`; returns it."""

    def make(
        tenants: tuple[str, ...] = ("tenant-a",),
        expires_in: int = 1800,
        kind: str = "authorization_code",
        refresh_age_days: int = 0,
    ) -> TokenSet:
        issued = identity.issue(expires_in=expires_in, refresh=kind == "authorization_code")
        token_set = manager.new_token_set(
            uuid.uuid4().hex,
            kind,
            issued.access_token,
            issued.refresh_token,
            int(time.time()) + expires_in,
            issued.scopes,
            "alice",
        )
        if refresh_age_days:
            issued_at = int(time.time()) - refresh_age_days * 86400
            token_set = token_set.model_copy(
                update={
                    "refresh_token_issued_at": issued_at,
                    "refresh_due_at": manager.due_at(
                        token_set.model_copy(update={"refresh_token_issued_at": issued_at})
                    ),
                }
            )
        stored = token_sets.save_token_set(token_set, expected_version=None)
        for tenant in tenants:
            connection_store.put_connection(
                Connection(
                    tenant_id=tenant,
                    tenant_name=tenant.upper(),
                    token_set_id=stored.token_set_id,
                    connection_id=f"conn-{tenant}",
                    connected_by="alice",
                    kind="oauth" if kind == "authorization_code" else "custom",
                )
            )
        return stored

    return make
