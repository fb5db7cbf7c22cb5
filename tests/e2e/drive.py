"""How the end-to-end tests drive `make dev` as a person would: a dev token from
`make token`, Xero connected through the simulator's consent page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import httpx
import pytest

from devstack.demo import available


def skip_unless_in_stack(*modules: str, reason: str) -> None:
    """Skips the calling test module (at import) unless every one of `modules` is part of
    this stack (a trimmed stack leaves some simulators out)."""
    if not all(available(module) for module in modules):
        pytest.skip(reason, allow_module_level=True)


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
