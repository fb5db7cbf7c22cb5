"""The crypto payout address book: where a bill may be paid in crypto (the ``okx`` rail).

Address swaps are the classic payment fraud, so an address is trusted only when two people
stand behind it: an admin adds an entry (one per supplier, currency and chain), and someone
else with ``payments:approve`` approves it; only approved addresses can be paid, and changing
an address is a new entry that needs a new approval (the old one is paid until then).

- `models` — the request and the answers (the API's shapes);
- `formats` — the address format per chain (checksums where the chain has one), `keccak`;
- `book` — add, approve, delete, list: the actions the handler calls, each in the audit trail;
- `persistence.payout_addresses` — the table, its conditional writes.
"""
