"""The payout address book through its handler: an admin adds, a second person approves,
one entry waits per supplier, currency and chain, a change is a new entry that supersedes
the old one only once approved, and every step is in the audit trail."""

from __future__ import annotations

from devstack.xero_simulator.seed_rails import OKX_SUPPLIER_ID, OKX_SUPPLIER_NAME
from xero_bridge.auth.route_policy import is_allowed
from xero_bridge.persistence import audit

from .conftest import ADDRESS, Crypto

OTHER = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
T = "/tenants/{tenantId}/payout_addresses"


def test_the_route_policy_is_admin_to_add_and_delete_and_approvers_to_approve() -> None:
    assert is_allowed(f"POST {T}", ["admin"], [])
    assert not is_allowed(f"POST {T}", ["payments:approve", "payments:write"], [])
    assert is_allowed(f"POST {T}/{{id}}/approve", ["payments:approve"], [])
    assert not is_allowed(f"POST {T}/{{id}}/approve", ["admin"], ["admin"])
    assert is_allowed(f"DELETE {T}/{{id}}", [], ["admin"])
    assert is_allowed(f"GET {T}", ["payments:approve"], []) and is_allowed(
        f"GET {T}", ["admin"], []
    )
    assert not is_allowed(f"GET {T}", ["payments:write"], [])


def test_an_admin_adds_and_another_person_approves(crypto: Crypto) -> None:
    added = crypto.add_address(label="Lumen hot wallet")
    assert added.status == 201, added
    entry = added.body
    assert entry["status"] == "pending_approval" and entry["payable"] is False
    assert (entry["contact_name"], entry["added_by"]) == (OKX_SUPPLIER_NAME, "carol")
    own = crypto.book(
        "POST", entry["payout_address_id"], "approve", sub="carol", scopes="payments:approve"
    )
    assert own.status == 403  # not by who added it
    approved = crypto.book(
        "POST", entry["payout_address_id"], "approve", sub="bob", scopes="payments:approve"
    )
    assert approved.status == 200 and approved.body["payable"] is True
    assert approved.body["approved_by"] == "bob"
    listed = crypto.book("GET", sub="bob", scopes="payments:approve")
    assert [e["status"] for e in listed.body["payout_addresses"]] == ["approved"]
    trail = audit.entries_for(
        audit.payout_address_subject(crypto.connected.tenant_a, entry["payout_address_id"])
    )
    assert [(e.action, e.actor) for e in trail] == [
        ("address_added", "carol"),
        ("address_approved", "bob"),
    ]


def test_a_change_is_a_new_entry_and_the_old_address_is_paid_until_it_is_approved(
    crypto: Crypto,
) -> None:
    old = crypto.approved_address()
    change = crypto.add_address(OTHER)
    assert change.status == 201 and change.body["replaces"] == old
    assert crypto.add_address(OTHER).status == 409  # one change waits at a time
    assert (
        crypto.book("GET", query={"status": "approved"}).body["payout_addresses"][0][
            "payout_address_id"
        ]
        == old
    )
    approved = crypto.book(
        "POST", change.body["payout_address_id"], "approve", sub="bob", scopes="payments:approve"
    )
    assert approved.status == 200
    statuses = {
        e["payout_address_id"]: e["status"] for e in crypto.book("GET").body["payout_addresses"]
    }
    assert statuses == {old: "superseded", change.body["payout_address_id"]: "approved"}


def test_a_deleted_address_cannot_be_paid(crypto: Crypto) -> None:
    entry_id = crypto.approved_address()
    deleted = crypto.book("DELETE", entry_id)
    assert deleted.status == 200 and deleted.body["status"] == "deleted"
    answer = crypto.submit(entry_id)
    assert answer.status == 422 and answer.body["error"]["code"] == "payout_address_not_approved"
    assert crypto.add_address().status == 201  # the slot is free again


def test_an_address_with_a_typo_is_refused_per_chain(crypto: Crypto) -> None:
    typo = ADDRESS[:-1] + ("w" if ADDRESS[-1] != "w" else "x")
    answer = crypto.add_address(typo)
    assert answer.status == 400, answer
    assert "checksum" in str(answer.body["error"]["details"])
    evm = crypto.book(
        "POST",
        body={
            "contact_id": OKX_SUPPLIER_ID,
            "ccy": "USDC",
            "chain": "USDC-ERC20",
            "address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        },
    )
    assert evm.status == 400 and "EIP-55" in str(evm.body["error"]["details"])
    other_chain = crypto.book(
        "POST",
        body={
            "contact_id": OKX_SUPPLIER_ID,
            "ccy": "USDT",
            "chain": "USDC-ERC20",
            "address": ADDRESS,
        },
    )
    assert other_chain.status == 400


def test_a_supplier_that_is_not_a_contact_is_refused(crypto: Crypto) -> None:
    answer = crypto.add_address(contact_id="a1000000-0000-4000-8000-00000000ffff")
    assert answer.status == 422 and answer.body["error"]["details"][0]["field"] == "contact_id"


def test_another_suppliers_address_does_not_pay_this_bill(crypto: Crypto) -> None:
    from devstack.xero_simulator.seed_rails import SUPPLIER_IDS

    added = crypto.add_address(contact_id=SUPPLIER_IDS[0])
    entry_id = added.body["payout_address_id"]
    crypto.book("POST", entry_id, "approve", sub="bob", scopes="payments:approve")
    answer = crypto.submit(entry_id)
    assert answer.status == 422 and "another supplier" in answer.body["error"]["message"]
