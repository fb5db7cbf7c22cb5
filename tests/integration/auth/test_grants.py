"""Tenant grants in DynamoDB (moto, provisioned from template.yaml) and the one tenant check."""

from __future__ import annotations

from typing import Any

import pytest

from xero_bridge.auth.principal import Principal
from xero_bridge.auth.tenant_access import may_access, require_tenant_access
from xero_bridge.errors import ForbiddenError
from xero_bridge.persistence import grants

ALICE = "alice@example.com"
BOB = "bob@example.com"
CAROL = "carol@example.com"
TENANT_A = "3f1e0c9a-1b2c-4d5e-8f90-aaaaaaaaaaaa"
TENANT_B = "7d2c4b6a-1b2c-4d5e-8f90-bbbbbbbbbbbb"


@pytest.fixture
def table(aws: dict[str, Any]) -> Any:
    return aws["GrantsTable"]


def test_grant_has_list_revoke(table: Any) -> None:
    assert not grants.has_grant(ALICE, TENANT_A)
    record = grants.grant(ALICE, TENANT_A, granted_by=ALICE)
    assert (record.via, record.granted_by) == ("connect", ALICE)
    grants.grant(ALICE, TENANT_B, granted_by=CAROL, via="admin")
    grants.grant(BOB, TENANT_A, granted_by=CAROL, via="admin")

    assert grants.has_grant(ALICE, TENANT_A)
    assert grants.has_grant(ALICE, TENANT_B)
    assert not grants.has_grant(BOB, TENANT_B)
    assert grants.list_tenants_for_user(ALICE) == sorted([TENANT_A, TENANT_B])
    assert grants.list_tenants_for_user(CAROL) == []
    assert sorted(grants.list_users_for_tenant(TENANT_A)) == [ALICE, BOB]
    assert grants.list_users_for_tenant(TENANT_B) == [ALICE]
    stored = grants.get_grant(ALICE, TENANT_B)
    assert stored is not None and (stored.via, stored.granted_by) == ("admin", CAROL)

    assert grants.revoke(ALICE, TENANT_A) is True
    assert grants.revoke(ALICE, TENANT_A) is False
    assert not grants.has_grant(ALICE, TENANT_A)
    assert grants.list_tenants_for_user(ALICE) == [TENANT_B]
    assert grants.list_users_for_tenant(TENANT_A) == [BOB]


def test_granting_twice_keeps_one_grant(table: Any) -> None:
    grants.grant(ALICE, TENANT_A, granted_by=ALICE)
    grants.grant(ALICE, TENANT_A, granted_by=CAROL, via="admin")
    assert grants.list_tenants_for_user(ALICE) == [TENANT_A]
    assert grants.list_users_for_tenant(TENANT_A) == [ALICE]


def test_revoking_a_tenant_removes_everyones_grant(table: Any) -> None:
    for user in (ALICE, BOB, CAROL):
        grants.grant(user, TENANT_A, granted_by=user)
    grants.grant(ALICE, TENANT_B, granted_by=ALICE)
    assert grants.revoke_tenant(TENANT_A) == 3
    assert grants.list_users_for_tenant(TENANT_A) == []
    assert grants.list_tenants_for_user(ALICE) == [TENANT_B]


def test_lists_follow_pagination(table: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real_table = grants._table()
    pages: list[int] = []

    class SmallPages:
        """The table, answering queries 7 items at a time (DynamoDB pages at 1 MB)."""

        def query(self, **kwargs: Any) -> Any:
            response = real_table.query(**kwargs, Limit=7)
            pages.append(len(response["Items"]))
            return response

    tenants = [f"tenant-{n:03d}" for n in range(30)]
    for tenant in tenants:
        grants.grant(ALICE, tenant, granted_by=ALICE)
        grants.grant(BOB, tenant, granted_by=ALICE)
    monkeypatch.setattr(grants, "_table", SmallPages)
    assert grants.list_tenants_for_user(ALICE) == tenants
    assert len(pages) >= 5
    assert sorted(grants.list_users_for_tenant("tenant-007")) == [ALICE, BOB]


@pytest.mark.parametrize(
    "call",
    [
        lambda: grants.grant("", TENANT_A, granted_by=ALICE),
        lambda: grants.grant(ALICE, "", granted_by=ALICE),
        lambda: grants.grant(ALICE, TENANT_A, granted_by=""),
        lambda: grants.grant(ALICE, TENANT_A, granted_by=ALICE, via="magic"),  # type: ignore[arg-type]
        lambda: grants.revoke(ALICE, ""),
    ],
)
def test_bad_arguments_are_refused_before_dynamodb(table: Any, call: Any) -> None:
    with pytest.raises(ValueError):
        call()


def test_the_grants_table_is_required(monkeypatch: pytest.MonkeyPatch, aws: Any) -> None:
    from xero_bridge.errors import ConfigurationError
    from xero_bridge.settings import get_settings

    monkeypatch.delenv("GRANTS_TABLE")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="GRANTS_TABLE"):
        grants.has_grant(ALICE, TENANT_A)


# ---------------------------------------------------------------------- require_tenant_access
def principal(sub: str, scopes: str = "", groups: str = "") -> Principal:
    return Principal(sub=sub, scopes=scopes.split(), groups=groups.split())


def test_a_user_reaches_only_the_tenants_granted_to_them(table: Any) -> None:
    grants.grant(ALICE, TENANT_A, granted_by=ALICE)
    alice = principal(ALICE, "records:read")
    require_tenant_access(alice, TENANT_A)
    with pytest.raises(ForbiddenError) as raised:
        require_tenant_access(alice, TENANT_B)
    assert raised.value.status == 403
    assert TENANT_B not in raised.value.message
    with pytest.raises(ForbiddenError):
        require_tenant_access(principal(BOB), TENANT_A)  # someone else's grant is not yours


def test_a_revoked_grant_is_refused_on_the_next_call(table: Any) -> None:
    grants.grant(ALICE, TENANT_A, granted_by=ALICE)
    require_tenant_access(principal(ALICE), TENANT_A)
    grants.revoke(ALICE, TENANT_A)
    with pytest.raises(ForbiddenError):
        require_tenant_access(principal(ALICE), TENANT_A)


def test_admins_need_a_grant_too_unless_the_route_is_an_admin_route(table: Any) -> None:
    carol = principal(CAROL, "admin", "admin")
    with pytest.raises(ForbiddenError):
        require_tenant_access(carol, TENANT_A)
    require_tenant_access(carol, TENANT_A, admin_override=True)
    with pytest.raises(ForbiddenError):  # the override is for administrators only
        require_tenant_access(principal(ALICE, "records:write"), TENANT_A, admin_override=True)
    grants.grant(CAROL, TENANT_A, granted_by=CAROL, via="admin")
    require_tenant_access(carol, TENANT_A)


@pytest.mark.parametrize(
    "tenant_id", ["", " ", "../x", "a" * 65, "tenant a", "tenant\u00e9", "-leading-dash"]
)
def test_malformed_tenant_ids_are_forbidden_without_a_lookup(table: Any, tenant_id: str) -> None:
    grants.grant(ALICE, TENANT_A, granted_by=ALICE)
    with pytest.raises(ForbiddenError):
        require_tenant_access(principal(ALICE), tenant_id)


def test_may_access_is_the_same_check(table: Any) -> None:
    grants.grant(ALICE, TENANT_A, granted_by=ALICE)
    assert may_access(principal(ALICE), TENANT_A)
    assert not may_access(principal(ALICE), TENANT_B)


def test_the_grants_table_matches_the_key_design(table: Any) -> None:
    import boto3

    description = boto3.client("dynamodb").describe_table(TableName=table.ref)["Table"]
    assert {(k["AttributeName"], k["KeyType"]) for k in description["KeySchema"]} == {
        ("user_sub", "HASH"),
        ("tenant_id", "RANGE"),
    }
    (index,) = description["GlobalSecondaryIndexes"]
    assert index["IndexName"] == grants.BY_TENANT_INDEX
    assert [(k["AttributeName"], k["KeyType"]) for k in index["KeySchema"]] == [
        ("tenant_id", "HASH"),
        ("user_sub", "RANGE"),
    ]
