"""The real @okta/okta-auth-js (its Node build) signs in against the dev issuer.

It needs the package from the console's dependencies: ``make test`` runs ``npm ci`` in web/
and points ``OKTA_AUTH_JS_NODE_MODULES`` at ``web/node_modules`` (any node_modules holding
@okta/okta-auth-js will do). Without it the test is skipped; the protocol itself is covered by
the other test_okta_* files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from devstack.okta import CONSOLE_CLIENT_ID, DevOktaIssuer, Lifetimes
from tests.integration.auth.oidc_browser import ORIGIN, REDIRECT_URI

SCRIPT = Path(__file__).parent / "okta_auth_js" / "compat.cjs"
NODE_MODULES = os.environ.get("OKTA_AUTH_JS_NODE_MODULES", "")
STEPS = [
    "authorize and sign in",
    "exchangeCodeForTokens",
    "verify (nonce, at_hash)",
    "getUserInfo",
    "renewTokensWithRefresh",
    "a used refresh token is refused as invalid",
    "sign in again with the Okta session",
    "revoke and introspect",
    "sign-out redirect",
]

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (Path(NODE_MODULES) / "@okta" / "okta-auth-js").is_dir(),
    reason="set OKTA_AUTH_JS_NODE_MODULES to a node_modules holding @okta/okta-auth-js",
)


def test_okta_auth_js_signs_in_renews_revokes_and_signs_out(tmp_path: Path) -> None:
    # No grace period: okta-auth-js must see a used refresh token refused at once.
    with DevOktaIssuer(tmp_path, lifetimes=Lifetimes(refresh_grace=0)) as okta:
        result = subprocess.run(
            ["node", str(SCRIPT), okta.issuer, CONSOLE_CLIENT_ID, REDIRECT_URI, ORIGIN],
            env={**os.environ, "NODE_PATH": NODE_MODULES},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split("\n")[:-1] == [f"ok {step}" for step in STEPS]
