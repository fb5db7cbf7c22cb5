"""XeroBridge-Signature: what a receiver checks, and what it must refuse."""

from __future__ import annotations

import hashlib
import hmac

from xero_bridge.notify import signing

SECRET = "whsec_test-secret-for-the-signature-tests"
BODY = b'{"id":"evt_1","type":"contact.updated"}'


def test_the_header_is_the_hmac_of_the_time_and_the_raw_body() -> None:
    header = signing.signature_header(SECRET, BODY, timestamp=1_700_000_000)
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_receiver_accepts_a_fresh_signature_and_refuses_everything_else() -> None:
    now = 1_700_000_000
    header = signing.signature_header(SECRET, BODY, timestamp=now)
    assert signing.verify(SECRET, BODY, header, now=now + 10)
    assert not signing.verify(SECRET, BODY + b" ", header, now=now)  # another body
    assert not signing.verify("whsec_another", BODY, header, now=now)  # another secret
    assert not signing.verify(SECRET, BODY, header, now=now + 301)  # too old: a replay
    assert not signing.verify(SECRET, BODY, header, tolerance_seconds=5, now=now + 6)
    resigned = header.replace("t=1700000000", "t=1700000500")  # the time is signed too
    assert not signing.verify(SECRET, BODY, resigned, now=now + 500)
    assert not signing.verify(SECRET, BODY, "v1=abc", now=now)
    assert not signing.verify(SECRET, BODY, "", now=now)


def test_secrets_are_long_random_and_prefixed() -> None:
    first, second = signing.new_secret(), signing.new_secret()
    assert first.startswith("whsec_") and len(first) > 40
    assert first != second


def test_the_readme_s_verification_snippet_accepts_ours_and_refuses_a_forgery() -> None:
    """Receivers copy the README's few lines: they must work against what we send."""
    import re
    import time
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    section = readme.split("**Verifying a delivery.**", 1)[1]
    snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    verify = namespace["verify"]
    header = signing.signature_header(SECRET, BODY)
    assert verify(SECRET, BODY, header)
    assert not verify(SECRET, BODY.replace(b"contact", b"invoice"), header)
    assert not verify("whsec_other", BODY, header)
    old = signing.signature_header(SECRET, BODY, int(time.time()) - 3600)
    assert not verify(SECRET, BODY, old)
    assert not verify(SECRET, BODY, "garbage")
