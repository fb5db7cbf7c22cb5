"""The links table in moto: one worker at a time writes a copy, a lapsed claim is taken over
and its late outcome does not overwrite the newer one, copy markers are found."""

from __future__ import annotations

from typing import Any

from xero_bridge.persistence import mirror_links

PAIR = mirror_links.pair_key("tenant-a", "tenant-b")
REF = mirror_links.ref_key("INVOICE", "ABC")


def test_one_worker_at_a_time_claims_a_link_and_a_lapsed_claim_is_taken_over(aws: Any):
    first = mirror_links.claim(PAIR, REF, "one", 1000.0, 60, creating=True, mirror_id="m")
    assert first.claimed and first.link is None
    busy = mirror_links.claim(PAIR, REF, "two", 1010.0, 60, creating=True)
    assert not busy.claimed and busy.busy_until == 1060
    taken = mirror_links.claim(PAIR, REF, "two", 1061.0, 60, creating=True)
    assert taken.claimed and taken.link is not None and taken.link.attempt_at  # one sent before
    assert mirror_links.finish(PAIR, REF, "two", {"state": "copied", "target_id": "X"})
    assert not mirror_links.finish(PAIR, REF, "one", {"state": "parked"})  # too late
    link = mirror_links.get_links(PAIR, [REF])[REF]
    assert (link.state, link.target_id, link.owner, link.attempt_at) == ("copied", "X", None, None)
    assert link.attempts == 2


def test_copy_markers_say_which_documents_a_mirror_made(aws: Any):
    mirror_links.put_markers(
        [
            {
                "target_tenant_id": "tenant-b",
                "kind": "INVOICE",
                "target_id": "COPY-1",
                "source_tenant_id": "tenant-a",
                "source_id": "abc",
                "mirror_id": "m",
            }
        ]
    )
    found = mirror_links.copies_among("tenant-b", "INVOICE", ["copy-1", "original-2"])
    assert list(found) == ["copy-1"] and found["copy-1"]["source_tenant_id"] == "tenant-a"
    assert mirror_links.copies_among("tenant-a", "INVOICE", ["copy-1"]) == {}
