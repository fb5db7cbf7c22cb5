"""What the offline simulators share: the clock tests move, the quiet loopback server, fault
injection plumbing, the /_sim/ control routes every simulator has, state behind one lock that
a reset empties, answers remembered for a while (idempotency, retries), the client that posts
webhooks, the protocol a simulator's routes see of it, and the standalone entry point
(``python -m devstack.<simulator>``).

Each part is its own module and imports only what it needs (the clock needs no Flask, so the
Okta issuer can mint tokens without loading a web framework); this package imports nothing.
"""
