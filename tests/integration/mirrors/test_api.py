"""The mirrors API: who may create a mirror and what is checked first, list, show with
health, stop (nothing copied is touched), the log newest first, and a backfill."""

from __future__ import annotations

from typing import Any

from devstack.xero_simulator.seed import A_CUSTOMER_ID, A_INVOICE_AUTHORISED_ID
from tests.integration.mirrors.conftest import World, line, sale
from xero_bridge.auth.principal import Principal
from xero_bridge.persistence import connections, grants


def _post(world: World, body: dict[str, Any], **kwargs: Any) -> Any:
    base = {"target_tenant_id": world.b, "types": ["ACCREC"]}
    base.update(create_missing_contacts=True, create_missing_items=False)
    return world.mirrors("POST", f"/tenants/{world.a}/mirrors", {**base, **body}, **kwargs)


def test_only_an_administrator_granted_both_organisations_creates_a_mirror(world: World):
    not_admin = Principal(sub="alice", scopes=["records:write"], groups=[]).to_context()
    assert _post(world, {}, context=not_admin).status == 403
    grants.revoke("alice", world.b)
    refused = _post(world, {})
    assert refused.status == 403 and refused.body["error"]["code"] == "forbidden"
    grants.grant("alice", world.b, granted_by="admin", via="admin")
    assert _post(world, {"target_tenant_id": world.a}).status == 400
    assert _post(world, {"types": []}).status == 400
    assert _post(world, {"types": ["ACCREC", "ACCREC"]}).status == 400
    assert _post(world, {"surprise": True}).status == 400
    assert world.sim.calls(world.a) == world.sim.calls(world.b) == 0  # nothing asked of Xero


def test_a_connection_without_the_scopes_a_mirror_needs_is_refused_naming_them(world: World):
    target = connections.get_connection(world.b)
    assert target is not None
    narrowed = [s for s in target.scopes if s != "accounting.contacts"] + [
        "accounting.contacts.read"
    ]
    connections.put_connection(target.model_copy(update={"scopes": narrowed}))
    refused = _post(world, {"create_missing_contacts": True})
    assert refused.status == 403
    assert refused.body["error"]["code"] == "xero_scope_missing"
    assert refused.body["error"]["details"][0]["scope"] == "accounting.contacts"
    # Without creating contacts, reading them is enough.
    assert _post(world, {"create_missing_contacts": False}).status == 201


def test_maps_naming_what_the_target_lacks_and_a_second_mirror_of_the_same_type_are_refused(
    world: World,
):
    refused = _post(world, {"account_map": {"200": "999"}, "tax_map": {"OUTPUT2": "GST15"}})
    assert refused.status == 422
    fields = sorted(d["field"] for d in refused.body["error"]["details"])
    assert fields == ["account_map.200", "tax_map.OUTPUT2"]
    created = _post(world, {"account_map": {"200": "260"}, "tax_map": {"OUTPUT2": "OUTPUT"}})
    assert created.status == 201, created.body
    mirror = created.body
    assert (
        mirror["source_name"] == "Demo Company (NZ)"
        and mirror["target_name"] == "Demo Company (AU)"
    )
    assert mirror["statuses"] == ["AUTHORISED", "PAID"] and mirror["health"]["state"] == "ok"
    assert "accounting.invoices" in mirror["scopes_needed"]["target"]
    assert "accounting.contacts" in mirror["scopes_needed"]["target"]
    assert mirror["scopes_needed"]["source"] == [
        "accounting.invoices.read",
        "accounting.settings.read",
    ]
    again = _post(world, {"types": ["ACCPAY", "ACCREC"]})
    assert again.status == 409 and mirror["mirror_id"] in again.body["error"]["message"]
    assert _post(world, {"types": ["ACCPAY"]}).status == 201


def test_a_stopped_mirror_copies_nothing_more_and_leaves_its_copies(world: World):
    mirror = world.create_mirror()
    path = f"/tenants/{world.a}/mirrors/{mirror['mirror_id']}"
    [first] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("One", "1", "10")]))[
        "Invoices"
    ]
    world.settle()
    listed = world.mirrors("GET", f"/tenants/{world.a}/mirrors").body["mirrors"]
    assert [m["mirror_id"] for m in listed] == [mirror["mirror_id"]]
    assert listed[0]["health"]["counts"]["copied"] == 1

    assert world.mirrors("DELETE", path).status == 204
    assert world.mirrors("DELETE", path).status == 404
    assert world.mirrors("GET", f"/tenants/{world.a}/mirrors").body["mirrors"] == []
    shown = world.mirrors("GET", path).body
    assert shown["status"] == "deleted" and shown["health"]["state"] == "stopped"
    [second] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("Two", "1", "10")]))[
        "Invoices"
    ]
    world.settle()
    assert world.copies_of(world.b, second["InvoiceID"]) == []
    [kept] = world.copies_of(world.b, first["InvoiceID"])
    assert kept["Status"] == "AUTHORISED"
    assert world.mirrors("GET", f"/tenants/{world.a}/mirrors/{'0' * 32}").status == 404


def test_the_log_reads_newest_first_one_page_at_a_time(world: World):
    mirror = world.create_mirror()
    for name in ("First", "Second", "Third"):
        world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line(name, "1", "10")]))
        world.settle()
    path = f"/tenants/{world.a}/mirrors/{mirror['mirror_id']}/log"
    pages, cursor = [], None
    while True:
        query = {"page_size": "2", **({"page": cursor} if cursor else {})}
        answer = world.mirrors("GET", path, query=query).body
        pages.append([e["source_number"] for e in answer["entries"]])
        cursor = answer["next_page"]
        if cursor is None:
            break
    numbers = [n for page in pages for n in page]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == 3
    assert world.mirrors("GET", path, query={"page": "not-a-cursor"}).status == 400
    only = world.mirrors("GET", path, query={"outcome": "failed"}).body["entries"]
    assert only == []


def test_a_backfill_copies_what_exists_from_a_date(world: World):
    mirror = world.create_mirror(backfill_from="2000-01-01", create_missing_items=True)
    world.settle()
    seeded = world.copies_of(world.b, A_INVOICE_AUTHORISED_ID)
    assert len(seeded) == 1 and seeded[0]["Total"] == 1100  # B's GST (10%) on 1000.00
    by_outcome: dict[str, list[str]] = {}
    for entry in world.log(mirror):
        by_outcome.setdefault(entry["outcome"], []).append(entry["source_number"])
    assert sorted(by_outcome["copied"]) == ["INV-0002", "INV-0003", "INV-0004"]
    assert by_outcome["skipped"] == ["INV-0001"]  # a draft
    # INV-0004 is paid in A: approved (owing) in B, since payments are not mirrored.
    paid = next(e for e in world.log(mirror) if e["source_number"] == "INV-0004")
    assert "payments are not mirrored" in paid["reason"]
