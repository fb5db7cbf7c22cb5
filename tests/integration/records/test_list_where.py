"""A caller's own Xero `where` on list routes: AND-ed with our filters, never undoing them."""

from __future__ import annotations

from tests.integration.records.conftest import OTHER_TENANT, TENANT, api

T = f"/tenants/{TENANT}"


def _codes(answer) -> list[str]:
    assert answer.status == 200, answer.body
    return sorted(account["code"] for account in answer.body["accounts"])


def test_where_filters_accounts_as_xero_does(records):
    answer = api("GET", f"{T}/accounts", query={"where": 'Code=="200" OR Code=="091"'})
    assert _codes(answer) == ["091", "200"]


def test_where_is_anded_with_our_filters_inside_parentheses(records):
    # Without the parentheses, 'Type=="BANK" AND Code=="091" OR Code=="200"' would read as
    # (BANK and 091) or 200, and bring back the revenue account 200.
    answer = api(
        "GET", f"{T}/accounts", query={"type": "BANK", "where": 'Code=="091" OR Code=="200"'}
    )
    assert _codes(answer) == ["091"]


def test_where_works_on_contacts_too(records):
    answer = api("GET", f"{T}/contacts", query={"where": 'Name.StartsWith("Ridgeway")'})
    assert answer.status == 200, answer.body
    names = [contact["name"] for contact in answer.body["contacts"]]
    assert names and all(name.startswith("Ridgeway") for name in names)


def test_a_where_that_would_escape_its_parentheses_is_refused_before_xero(records):
    before = records.calls(TENANT)
    for escape in ['Code=="200") OR (true', 'Name=="x', "((Code==1)"]:
        answer = api("GET", f"{T}/accounts", query={"type": "BANK", "where": escape})
        assert answer.status == 400, (escape, answer.body)
        assert answer.body["error"]["details"][0]["field"] == "where"
    assert records.calls(TENANT) == before


def test_xeros_refusal_of_a_where_is_a_422_with_its_message(records):
    answer = api("GET", f"{T}/accounts", query={"where": "Code=="})
    assert answer.status == 422, answer.body
    assert answer.body["error"]["details"]


def test_where_cannot_reach_another_tenant(records):
    answer = api("GET", f"/tenants/{OTHER_TENANT}/accounts", query={"where": "true"})
    assert answer.status == 403
