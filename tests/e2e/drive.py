"""How the end-to-end tests drive `make dev` as a person would: a dev token from
`make token`, Xero connected through the simulator's consent page, bills paid through
/payments and looked for in the Xero simulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from devstack.demo import available


def skip_unless_in_stack(*modules: str, reason: str) -> None:
    """Skips the calling test module (at import) unless every one of `modules` is part of
    this stack (a trimmed stack leaves some simulators out)."""
    if not all(available(module) for module in modules):
        pytest.skip(reason, allow_module_level=True)


def skip_unless_simulators(*names: str) -> None:
    """skip_unless_in_stack for the simulators `names`, as people name them ("Xero",
    "GoCardless"): each is the module devstack.<its name in lower case>_simulator."""
    skip_unless_in_stack(
        *(f"devstack.{name.lower()}_simulator" for name in names),
        reason=f"the {' and '.join(names)} simulators are part of this stack",
    )


def bearer(stack, user: str, scopes: str, key: bool = False) -> dict[str, str]:
    """The headers of `user`'s request with a fresh dev token for `scopes`; with `key`, a new
    Idempotency-Key too."""
    headers = {"Authorization": f"Bearer {make_token(stack, user, scopes)}"}
    if key:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    return headers


def connect_users(stack, scopes: str, *users: str) -> str:
    """Each of `users` connects the stack's first demo organisation (and so may reach it), with
    a dev token for `scopes`: that organisation's tenant id."""
    tenant = stack.settings["demo tenants"].split()[0]
    for user in users:
        connect(stack, make_token(stack, user, scopes), [tenant])
    return tenant


def make_token(stack, user: str, scopes: str = "", groups: str = "") -> str:
    """What `make token USER=… SCOPES=…` prints, for this stack's state folder."""
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "devstack.token",
            "--user",
            user,
            "--scopes",
            scopes,
            "--groups",
            groups,
        ],
        env={**os.environ, "DEVSTACK_STATE_DIR": str(stack.state_dir)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = output.strip().splitlines()
    assert len(lines) == 1, "make token prints only the token"
    return lines[0]


def consent_in_browser(authorize_url: str, tenant_ids: list[str]) -> str:
    """Submit the simulator's consent form as a person would; returns where it redirects."""
    with httpx.Client(timeout=10) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        parts = urlsplit(authorize_url)
        answer = browser.post(
            f"{parts.scheme}://{parts.netloc}{action}",
            data={**hidden, "tenant_ids": tenant_ids, "decision": "allow"},
        )
        assert answer.status_code == 302
        return answer.headers["location"]


def connect(stack, token: str, tenant_ids: list[str]) -> None:
    """Connect these demo organisations for the token's user (POST /xero/connect → consent
    page → callback), as a person does in a browser."""
    headers = {"Authorization": f"Bearer {token}"}
    started = httpx.post(f"{stack.api}/xero/connect", json={}, headers=headers, timeout=10)
    assert started.status_code == 200, started.text
    callback = consent_in_browser(started.json()["authorize_url"], tenant_ids)
    finished = httpx.get(callback, timeout=20)
    assert finished.status_code == 200, finished.text


def pay_by_card_in_browser(page_url: str, card_number: str) -> httpx.Response:
    """Fill in and submit Saferpay's payment page (the simulator's plain HTML form) as a payer
    does, following the redirect back to the shop; the page the browser ends on."""
    with httpx.Client(timeout=20, follow_redirects=True) as browser:
        page = browser.get(page_url)
        assert page.status_code == 200, page.text
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        names = set(re.findall(r'<input name="([^"]+)"', page.text))
        assert {"CardNumber", "ExpMonth", "ExpYear", "VerificationCode"} <= names, names
        parts = urlsplit(page_url)
        return browser.post(
            f"{parts.scheme}://{parts.netloc}{action}",
            data={"CardNumber": card_number, "ExpMonth": "12", "ExpYear": "2031",
                  "VerificationCode": "123", "HolderName": "Anna Muster", "action": "pay"},
        )  # fmt: skip


def polled[T](
    read: Callable[[], T], done: Callable[[T], Any], seconds: float, every: float = 0.5
) -> T:
    """`read()` every `every` seconds until `done` of what it read, for at most `seconds`: what
    it read last, for the caller to assert on."""
    deadline = time.monotonic() + seconds
    found = read()
    while not done(found) and time.monotonic() < deadline:
        time.sleep(every)
        found = read()
    return found


def xero_payments_for(stack, invoice_id: str) -> list[dict]:
    """The payments the Xero simulator was asked to create for `invoice_id`."""
    created = httpx.get(f"{stack.urls['xero']}/_sim/created/Payments", timeout=10).json()
    listed = created if isinstance(created, list) else next(iter(created.values()), [])
    return [p for p in listed if p["Invoice"]["InvoiceID"] == invoice_id]


@dataclass
class Payer:
    """Pays bills of the stack's first demo organisation through /payments: each request as
    the user it names, with a fresh dev token for `scopes`."""

    stack: Any
    scopes: str
    tenant: str

    @classmethod
    def connected(cls, stack, scopes: str, *users: str) -> Payer:
        """Each of `users` connects the organisation first (see connect_users)."""
        return cls(stack, scopes, connect_users(stack, scopes, *users))

    def url(self, path: str) -> str:
        return f"{self.stack.api}/tenants/{self.tenant}/{path}"

    def post(self, user: str, path: str, body: Any = None, key: bool = False) -> httpx.Response:
        """POST /tenants/{tenant}/`path` as `user`; with `key`, an Idempotency-Key too."""
        headers = bearer(self.stack, user, self.scopes, key)
        return httpx.post(self.url(path), json=body, headers=headers, timeout=30)

    def recorded(self, payment_id: str, seconds: float, every: float = 0.5) -> dict:
        """The payment, as alice reads it, once it is recorded (or when `seconds` are up)."""
        reader = bearer(self.stack, "alice", self.scopes)
        url = self.url(f"payments/{payment_id}")
        return polled(
            lambda: httpx.get(url, headers=reader, timeout=30).json(),
            lambda payment: payment.get("status") == "recorded",
            seconds,
            every,
        )

    def invoice(self, invoice_id: str) -> dict:
        """The invoice as Xero has it now (no-cache: never a snapshot)."""
        headers = {**bearer(self.stack, "alice", self.scopes), "Cache-Control": "no-cache"}
        return httpx.get(self.url(f"invoices/{invoice_id}"), headers=headers, timeout=30).json()
