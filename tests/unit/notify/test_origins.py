"""Which versions a write's answer says it produced."""

from __future__ import annotations

from xero_bridge.notify.origins import _versions


def test_the_records_of_a_write_answer_and_their_versions() -> None:
    body = {
        "Contacts": [
            {"ContactID": "c1", "UpdatedDateUTC": "/Date(1767225600123+0000)/"},
            {"ContactID": "c2", "UpdatedDateUTC": "/Date(1767225600456+0000)/", "HasErrors": True},
            {"ContactID": "c3"},
        ],
        "Invoices": [{"InvoiceID": "i1", "UpdatedDateUTC": "2026-01-01T00:00:00.789"}],
        "Payments": [{"PaymentID": "p1", "UpdatedDateUTC": "/Date(1767225600000+0000)/"}],
    }
    assert _versions(body) == [
        ("CONTACT", "c1", 1767225600123),  # c2 was refused, c3 says no version
        ("INVOICE", "i1", 1767225600789),
    ]
    assert _versions([]) == [] and _versions({"Contacts": None}) == []
