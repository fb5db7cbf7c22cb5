"""The token manager: a valid Xero access token for a tenant, refreshed safely under concurrency.

Xero rotates the refresh token on every use, and a refresher that stores a rotated-away token
kills the connection. So a refresh here is serialised per token set and never overwrites a
newer one:

1. read the set strongly consistently; if it is not due, use it;
2. claim the refresh with one conditional update (`claim_refresh`: same version, no live
   lease) — only the claimant calls Xero; everyone else waits for its result (re-reading)
   and then uses the token it stored;
3. the claimant refreshes and saves with the version it read (`save_token_set(...,
   expected_version)`), *before* anyone uses the new access token; if that save loses
   (StaleWriteError) it re-reads and uses the winner's token, which is newer;
4. `invalid_grant` on the newest stored refresh token marks the set and its connections
   `needs_reconnect` (again under the version check, so a late failure cannot mark a set
   someone has just refreshed) and publishes `xero.connection.needs_reconnect`.

A set's `refresh_due_at` is min(access expiry - margin, refresh issued + 45 days), so the
scheduled sweep (xero_bridge.connections.refresh) also rotates idle refresh tokens long
before Xero's 60-day limit. Custom connections (kind `client_credentials`) have no refresh
token: a new client-credentials token replaces an expiring one.

Public API: `fresh_access_token(tenant_id) -> str`, `token_manager` (a `TokenManager`) with
`access_token(tenant_id)`, `refresh(token_set_id, until=..., stale_access_token=...)`, and
`refresh_due_at(...)`.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import SecretStr

from xero_bridge.errors import ConflictError, NotFoundError, ServiceUnavailableError
from xero_bridge.observability import logger
from xero_bridge.persistence import connections as connection_store
from xero_bridge.persistence import token_sets as store
from xero_bridge.persistence.dynamodb import STORE_ERRORS
from xero_bridge.persistence.token_sets import StaleWriteError, TokenSet
from xero_bridge.settings import get_settings
from xero_bridge.xero.identity import InvalidGrantError, XeroIdentity

NEEDS_RECONNECT_EVENT = "xero.connection.needs_reconnect"
# How long a claimant may take to refresh before another refresher may take over.
LEASE_SECONDS = 30
# How long a refresher waits for another's refresh to land before giving up (503).
WAIT_SECONDS = 12.0
DAY = 86400


class ReconnectRequiredError(ConflictError):
    """The connection's refresh token is dead: someone must connect the tenant again."""

    code = "reconnect_required"


class _Connecting(Protocol):
    @property
    def status(self) -> str: ...


def _connected[R: _Connecting](record: R | None) -> R:
    """A stored connection or token set that still connects its organisation, or the error
    saying why it does not."""
    if record is None:
        raise NotFoundError("this organisation is not connected to Xero")
    if record.status == "needs_reconnect":
        raise ReconnectRequiredError(
            "the Xero connection of this organisation must be connected again"
        )
    return record


def refresh_due_at(
    kind: str, access_expires_at: int, refresh_issued_at: int, margin: int, max_age_days: int
) -> int:
    """When a set should be refreshed: before its access token expires, and (authorization
    code sets) before its refresh token is `max_age_days` old."""
    due = access_expires_at - margin
    if kind == "authorization_code":
        due = min(due, refresh_issued_at + max_age_days * DAY)
    return due


def _default_identity(kind: str) -> XeroIdentity:
    from xero_bridge.xero.identity import app_identity, custom_identity

    return custom_identity() if kind == "client_credentials" else app_identity()


def _default_publish(detail_type: str, detail: dict[str, Any]) -> None:
    from xero_bridge.xero.events import publish

    publish(detail_type, detail)


class TokenManager:
    def __init__(
        self,
        identity_for: Callable[[str], XeroIdentity] = _default_identity,
        publish: Callable[[str, dict[str, Any]], None] = _default_publish,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.identity_for = identity_for
        self.publish = publish
        self.clock = clock
        self.sleep = sleep
        # token_set_id -> the newest set this process has seen; used only while its access
        # token is good for longer than the margin (access tokens stay valid after a rotation).
        self._cache: dict[str, TokenSet] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ settings
    @property
    def margin(self) -> int:
        return get_settings().xero_refresh_margin_seconds

    def due_at(self, token_set: TokenSet) -> int:
        return refresh_due_at(
            token_set.kind,
            token_set.access_expires_at,
            token_set.refresh_token_issued_at,
            self.margin,
            get_settings().refresh_token_max_age_days,
        )

    def forget(self, token_set_id: str | None = None) -> None:
        with self._lock:
            if token_set_id is None:
                self._cache.clear()
            else:
                self._cache.pop(token_set_id, None)

    # ------------------------------------------------------------------ reading
    def access_token(self, tenant_id: str) -> str:
        """A valid access token for `tenant_id` (refreshed first when it expires soon)."""
        return self.token_set_for_tenant(tenant_id).access_token.get_secret_value()

    def token_set_for_tenant(self, tenant_id: str) -> TokenSet:
        """The tenant's token set, its access token good for longer than the margin."""
        connection = _connected(connection_store.get_connection(tenant_id))
        return self.token_set(connection.token_set_id)

    def token_set(self, token_set_id: str) -> TokenSet:
        """The token set with an access token good for longer than the margin."""
        now = int(self.clock())
        with self._lock:
            cached = self._cache.get(token_set_id)
        if cached is not None and cached.access_expires_at - now > self.margin:
            return cached
        current = store.get_token_set(token_set_id)
        if current is None:
            raise NotFoundError("this organisation is not connected to Xero")
        if current.access_expires_at - now <= self.margin:
            current = self.refresh(token_set_id, until=now)
        self._remember(current)
        return current

    def _remember(self, token_set: TokenSet) -> None:
        with self._lock:
            known = self._cache.get(token_set.token_set_id)
            if known is None or known.version <= token_set.version:
                self._cache[token_set.token_set_id] = token_set

    # ------------------------------------------------------------------ refreshing
    def refresh(
        self,
        token_set_id: str,
        *,
        until: int | None = None,
        stale_access_token: str | None = None,
        wait_seconds: float = WAIT_SECONDS,
    ) -> TokenSet:
        """Make sure the stored set is fresh, refreshing it (once, whoever asks) if needed.

        Without arguments: refresh when due now (`refresh_due_at <= now`). `until`: refresh
        when due by then (the sweep's window). `stale_access_token`: refresh when the stored
        access token is still that one (Xero refused it with a 401); if someone has replaced
        it since, the replacement is used. Returns the newest stored set. `wait_seconds`: how
        long to wait for another refresher's result (0: return the set as read, e.g. the sweep,
        which leaves a set someone else is refreshing to them).
        """
        deadline = self.clock() + wait_seconds
        while True:
            now = int(self.clock())
            current = _connected(store.get_token_set(token_set_id))
            if not self._needs_refresh(current, now, until, stale_access_token):
                self._remember(current)
                return current
            if store.claim_refresh(token_set_id, current.version, now, LEASE_SECONDS):
                refreshed = self._refresh_claimed(current, now)
                self._remember(refreshed)
                return refreshed
            # Another refresher holds the lease (or wrote since we read): wait for its result.
            if wait_seconds <= 0:
                return current
            if self.clock() >= deadline:
                raise ServiceUnavailableError("Xero's token refresh is taking too long")
            self.sleep(random.uniform(0.05, 0.2))  # noqa: S311 (jitter, not security)

    def _needs_refresh(
        self, current: TokenSet, now: int, until: int | None, stale_access_token: str | None
    ) -> bool:
        if stale_access_token is not None:
            return current.access_token.get_secret_value() == stale_access_token
        return self.due_at(current) <= (now if until is None else until)

    def _refresh_claimed(self, current: TokenSet, now: int) -> TokenSet:
        """We hold the lease on `current`: refresh at Xero, store, then hand out."""
        identity = self.identity_for(current.kind)
        try:
            if current.kind == "client_credentials":
                response = identity.client_credentials()
            else:
                if current.refresh_token is None:
                    raise InvalidGrantError("the token set has no refresh token")
                response = identity.refresh(current.refresh_token.get_secret_value())
        except InvalidGrantError:
            self._mark_needs_reconnect(current)
            raise ReconnectRequiredError(
                "Xero no longer accepts this connection: it must be connected again"
            ) from None
        except Exception:
            self._release(current)
            raise
        rotated = response.refresh_token is not None
        access_expires_at = response.expires_at
        refresh_issued_at = now if rotated else current.refresh_token_issued_at
        updated = current.model_copy(
            update={
                "access_token": response.access_token,
                "refresh_token": response.refresh_token if rotated else current.refresh_token,
                "access_expires_at": access_expires_at,
                "refresh_token_issued_at": refresh_issued_at,
                "scopes": response.scopes or current.scopes,
                "refresh_due_at": refresh_due_at(
                    current.kind,
                    access_expires_at,
                    refresh_issued_at,
                    self.margin,
                    get_settings().refresh_token_max_age_days,
                ),
                "refresh_lease_until": None,
            }
        )
        saved = self._save_new_tokens(updated, current.version)
        logger.info(
            "xero token set refreshed",
            extra={
                "token_set_id": current.token_set_id,
                "kind": current.kind,
                "version": saved.version,
                "access_expires_at": saved.access_expires_at,
            },
        )
        return saved

    def _save_new_tokens(self, updated: TokenSet, expected_version: int) -> TokenSet:
        """Store freshly rotated tokens: the only copy of the new refresh token is here, so a
        failing write is retried before giving up (the old token's 30-minute grace covers the
        next attempt if it does give up)."""
        for attempt in range(3):
            try:
                return store.save_token_set(updated, expected_version)
            except StaleWriteError:
                winner = store.get_token_set(updated.token_set_id)
                logger.info(
                    "another refresher stored first; using its tokens",
                    extra={"token_set_id": updated.token_set_id},
                )
                return _connected(winner)
            except STORE_ERRORS:
                logger.warning(
                    "storing refreshed tokens failed",
                    extra={"token_set_id": updated.token_set_id, "attempt": attempt + 1},
                )
                self.sleep(0.2 * (attempt + 1))
        raise ServiceUnavailableError("the refreshed Xero tokens could not be stored")

    def _release(self, current: TokenSet) -> None:
        try:
            store.release_refresh(current.token_set_id, current.version)
        except Exception:  # the lease runs out on its own
            logger.warning("releasing a refresh lease failed")

    def _mark_needs_reconnect(self, current: TokenSet) -> None:
        marked = current.model_copy(update={"status": "needs_reconnect", "refresh_due_at": None})
        try:
            store.save_token_set(marked, current.version)
        except StaleWriteError:
            # Someone stored a newer set meanwhile: ours was not the newest token after all.
            logger.info(
                "invalid_grant on an outdated token set; not marking",
                extra={"token_set_id": current.token_set_id},
            )
            return
        self.forget(current.token_set_id)
        tenants = []
        for connection in connection_store.connections_for_token_set(current.token_set_id):
            if connection_store.set_status(
                connection.tenant_id, "needs_reconnect", current.token_set_id
            ):
                tenants.append(connection.tenant_id)
        logger.warning(
            "xero connection needs reconnecting",
            extra={"token_set_id": current.token_set_id, "tenant_ids": tenants},
        )
        try:
            self.publish(
                NEEDS_RECONNECT_EVENT,
                {
                    "token_set_id": current.token_set_id,
                    "tenant_ids": tenants,
                    "connected_by": current.connected_by,
                },
            )
        except Exception:
            logger.exception("publishing needs_reconnect failed")

    # ------------------------------------------------------------------ storing new sets
    def new_token_set(
        self,
        token_set_id: str,
        kind: str,
        access_token: SecretStr,
        refresh_token: SecretStr | None,
        access_expires_at: int,
        scopes: list[str],
        connected_by: str | None,
    ) -> TokenSet:
        """A new set's model, with its refresh due time computed (not yet stored)."""
        now = int(self.clock())
        return TokenSet(
            token_set_id=token_set_id,
            kind=kind,  # type: ignore[arg-type]
            access_token=access_token,
            refresh_token=refresh_token,
            access_expires_at=access_expires_at,
            refresh_token_issued_at=now,
            scopes=scopes,
            connected_by=connected_by,
            refresh_due_at=refresh_due_at(
                kind,
                access_expires_at,
                now,
                self.margin,
                get_settings().refresh_token_max_age_days,
            ),
        )


token_manager = TokenManager()


def fresh_access_token(tenant_id: str) -> str:
    """A valid access token for `tenant_id` (the shared token manager)."""
    return token_manager.access_token(tenant_id)
