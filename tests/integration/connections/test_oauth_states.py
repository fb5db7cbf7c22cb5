"""OAuth states: stored hashed, consumed exactly once, expiry enforced in code."""

from __future__ import annotations

import threading
import time

from pydantic import SecretStr

from xero_bridge.persistence import oauth_states
from xero_bridge.persistence.dynamodb import table
from xero_bridge.persistence.oauth_states import OAuthState
from xero_bridge.settings import get_settings


def _state(ttl: int = 600) -> OAuthState:
    now = int(time.time())
    return OAuthState(
        user_sub="alice",
        code_verifier=SecretStr("v" * 64),
        redirect_uri="http://127.0.0.1/xero/callback",
        return_to="http://localhost:5173/done",
        created_at=now,
        expires_at=now + ttl,
    )


def test_a_state_is_consumed_once_then_reported_reused(aws):
    oauth_states.put_state("state-1", _state())
    first = oauth_states.consume("state-1")
    assert first.outcome == "ok"
    assert first.state.user_sub == "alice"
    assert first.state.code_verifier.get_secret_value() == "v" * 64
    assert oauth_states.consume("state-1").outcome == "reused"


def test_the_table_holds_neither_the_state_nor_after_use_the_verifier(aws):
    oauth_states.put_state("state-secret-value", _state())
    oauth_states.consume("state-secret-value")
    items = table(get_settings().required("oauth_states_table")).scan()["Items"]
    assert len(items) == 1
    assert "state-secret-value" not in str(items)
    assert "code_verifier" not in items[0]


def test_unknown_and_expired_states(aws):
    assert oauth_states.consume("forged").outcome == "unknown"
    oauth_states.put_state("old", _state(ttl=-1))
    assert oauth_states.consume("old").outcome == "expired"
    assert oauth_states.consume("old").outcome == "reused"


def test_of_ten_racing_callbacks_exactly_one_wins(aws):
    oauth_states.put_state("raced", _state())
    outcomes: list[str] = []
    barrier = threading.Barrier(10)

    def go() -> None:
        barrier.wait()
        outcomes.append(oauth_states.consume("raced").outcome)

    threads = [threading.Thread(target=go) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["reused"] * 9
