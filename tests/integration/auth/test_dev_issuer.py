"""The dev Okta issuer: discovery and JWKS on loopback, persisted keys, `make token`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import jwt
import pytest

from devstack.okta_issuer import DevOktaIssuer
from tests.integration.auth.conftest import ASK, PAY, event_for
from xero_bridge.auth.authorize import decide

ROOT = Path(__file__).resolve().parents[3]


def test_discovery_documents_and_jwks(okta: DevOktaIssuer) -> None:
    assert okta.issuer.startswith("http://127.0.0.1:")
    assert okta.issuer.endswith("/oauth2/default")
    for name in ("openid-configuration", "oauth-authorization-server"):
        document = httpx.get(f"{okta.issuer}/.well-known/{name}").json()
        assert document["issuer"] == okta.issuer
        assert document["jwks_uri"] == f"{okta.issuer}/v1/keys"
    keys = httpx.get(okta.jwks_uri).json()["keys"]
    assert [key["kid"] for key in keys] == [okta.current_key.kid]
    assert {key["kty"] for key in keys} == {"RSA"}
    assert all("d" not in key and "p" not in key for key in keys)  # public parts only
    assert httpx.get(f"{okta.url}/oauth2/other/v1/keys").status_code == 404


def test_minted_tokens_look_like_oktas(okta: DevOktaIssuer) -> None:
    token = okta.mint("bob", scopes=["payments:approve"], groups=["approvers"], ttl=600)
    assert jwt.get_unverified_header(token) == {
        "alg": "RS256",
        "kid": okta.current_key.kid,
        "typ": "JWT",
    }
    claims = jwt.decode(token, options={"verify_signature": False})
    assert set(claims) == {"ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp"} | {
        "sub",
        "groups",
    }
    assert claims["sub"] == "bob@example.com"
    assert claims["scp"] == ["payments:approve"]
    assert claims["exp"] - claims["iat"] == 600
    assert claims["uid"].startswith("00u")


def test_keys_persist_across_restarts(tmp_path: Path) -> None:
    with DevOktaIssuer(tmp_path) as first:
        kid = first.current_key.kid
    assert oct(os.stat(tmp_path / "keys.json").st_mode & 0o777) == "0o600"
    with DevOktaIssuer(tmp_path) as second:
        assert second.current_key.kid == kid
        assert second.rotate_keys() != kid
        kids = [key["kid"] for key in httpx.get(second.jwks_uri).json()["keys"]]
        assert kids[0] == kid and len(kids) == 2
    assert not (tmp_path / "issuer.json").exists()  # a stopped issuer is not "running"


def _make_token(state_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DEVSTACK_STATE_DIR": str(state_root),
        "PYTHONPATH": f"{ROOT / 'shared'}{os.pathsep}{ROOT}",
    }
    return subprocess.run(
        [sys.executable, "-m", "devstack.token", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_token_prints_only_a_token_the_running_stack_trusts(
    fresh_okta: DevOktaIssuer, tmp_path: Path
) -> None:
    assert fresh_okta.state_dir == tmp_path / "okta"
    result = _make_token(
        tmp_path, "--user", "alice", "--scopes", "payments:write ask", "--groups", "finance"
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    assert decide(event_for(PAY, f"Bearer {token}")).allowed
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == fresh_okta.issuer
    assert (claims["scp"], claims["groups"]) == (["payments:write", "ask"], ["finance"])


def test_make_token_without_scopes_gives_the_demo_users_defaults(
    fresh_okta: DevOktaIssuer, tmp_path: Path
) -> None:
    result = _make_token(tmp_path, "--user", "bob", "--scopes", "", "--groups", "")
    claims = jwt.decode(result.stdout.strip(), options={"verify_signature": False})
    assert claims["sub"] == "bob@example.com"
    assert "payments:approve" in claims["scp"] and claims["groups"] == ["approvers"]
    assert not decide(event_for(PAY, f"Bearer {result.stdout.strip()}")).allowed
    assert decide(event_for(ASK, f"Bearer {result.stdout.strip()}")).allowed


def test_make_token_without_a_running_stack_says_so(tmp_path: Path) -> None:
    result = _make_token(tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "make dev" in result.stderr


@pytest.mark.parametrize("user", ["alice", "bob", "carol"])
def test_demo_users_have_an_email_like_sub(okta: DevOktaIssuer, user: str) -> None:
    claims = jwt.decode(okta.mint(user), options={"verify_signature": False})
    assert claims["sub"] == f"{user}@example.com"
    assert claims["scp"] and claims["groups"]
