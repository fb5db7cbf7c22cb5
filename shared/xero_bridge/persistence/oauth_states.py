"""OAuth `state` records of the Xero connect flow (the OAuthStates table, TTL `expires_at`).

A state is random, bound to the Okta user who asked for it, carries the PKCE verifier and
where to send the browser back, and is consumed exactly once: `consume` is one conditional
update (`attribute_not_exists(consumed_at)`), so of two callbacks racing with the same state
exactly one wins, and a reused state is told apart from an unknown one.

The key is the SHA-256 of the state, never the state itself: reading the table does not give
anyone a state they could complete. DynamoDB deletes expired items lazily (TTL), so expiry is
checked here too.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from xero_bridge.persistence.dynamodb import compact, conditional_write, get_item, table
from xero_bridge.redaction import register_secret
from xero_bridge.settings import get_settings

# Consumed records are kept (until TTL) only to say "already used" rather than "unknown".
_CONSUMED_KEEP_SECONDS = 3600


class OAuthState(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_sub: str = Field(min_length=1)
    code_verifier: SecretStr
    redirect_uri: str = Field(min_length=1)
    return_to: str | None = None
    created_at: int
    expires_at: int


ConsumeOutcome = Literal["ok", "unknown", "reused", "expired"]


class ConsumeResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: ConsumeOutcome
    state: OAuthState | None = None


def state_key(state: str) -> str:
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


def _table() -> Any:
    return table(get_settings().required("oauth_states_table"))


def put_state(state: str, record: OAuthState) -> None:
    """Store a new state (a collision with an existing one fails rather than overwrites)."""
    item: dict[str, Any] = record.model_dump(exclude={"code_verifier"})
    item["code_verifier"] = record.code_verifier.get_secret_value()
    item["state_hash"] = state_key(state)
    _table().put_item(Item=compact(item), ConditionExpression="attribute_not_exists(state_hash)")


def consume(state: str, now: int | None = None) -> ConsumeResult:
    """Use the state once: the record when this call is the first use and it has not expired."""
    now = int(time.time()) if now is None else now
    key = {"state_hash": state_key(state)}
    outcome = conditional_write(
        _table().update_item,
        Key=key,
        # The verifier goes with the first use: a consumed record holds nothing reusable.
        UpdateExpression="SET consumed_at = :now, expires_at = :keep REMOVE code_verifier",
        ConditionExpression="attribute_exists(state_hash) AND attribute_not_exists(consumed_at)",
        ExpressionAttributeValues={":now": now, ":keep": now + _CONSUMED_KEEP_SECONDS},
        ReturnValues="ALL_OLD",
    )
    if not outcome.written:
        existing = get_item(_table(), key)
        return ConsumeResult(outcome="reused" if existing else "unknown")
    old = dict(outcome.attributes or {})
    register_secret(old.get("code_verifier"))
    for name in ("created_at", "expires_at"):
        old[name] = int(old[name])
    record = OAuthState.model_validate(old)
    if record.expires_at <= now:
        return ConsumeResult(outcome="expired")
    return ConsumeResult(outcome="ok", state=record)
