"""The token store: reads the newest set, and a stale writer loses."""

import pytest

from xero_bridge.persistence.token_sets import (
    StaleWriteError,
    TokenSet,
    get_token_set,
    save_token_set,
)


def _token_set(refresh: str = "refresh-1", access: str = "access-1") -> TokenSet:
    return TokenSet(
        token_set_id="auth-event-1",
        access_token=access,
        refresh_token=refresh,
        access_expires_at=2_000_000_000,
        scopes=["accounting.invoices", "offline_access"],
        connected_by="alice@example.com",
    )


def test_a_saved_token_set_reads_back_with_its_version(aws):
    stored = save_token_set(_token_set(), expected_version=None)
    assert stored.version == 1
    read = get_token_set("auth-event-1")
    assert read is not None
    assert read.refresh_token.get_secret_value() == "refresh-1"
    assert read.version == 1
    assert read.refresh_due_at == 2_000_000_000


def test_a_stale_writer_loses_and_the_newest_token_survives(aws):
    first = save_token_set(_token_set(), expected_version=None)
    # Two refreshers read version 1; the first to write wins.
    winner = save_token_set(_token_set(refresh="refresh-2"), expected_version=first.version)
    with pytest.raises(StaleWriteError):
        save_token_set(_token_set(refresh="refresh-stale"), expected_version=first.version)
    stored = get_token_set("auth-event-1")
    assert stored is not None
    assert stored.refresh_token.get_secret_value() == "refresh-2"
    assert stored.version == winner.version == 2


def test_creating_twice_is_a_conflict(aws):
    save_token_set(_token_set(), expected_version=None)
    with pytest.raises(StaleWriteError):
        save_token_set(_token_set(refresh="other"), expected_version=None)


def test_tokens_never_show_in_repr():
    shown = repr(_token_set(refresh="refresh-secret-value", access="access-secret-value"))
    assert "refresh-secret-value" not in shown
    assert "access-secret-value" not in shown


def test_a_connection_needing_reconnect_leaves_the_refresh_index(aws):
    stored = save_token_set(_token_set(), expected_version=None)
    save_token_set(stored.model_copy(update={"status": "needs_reconnect"}), stored.version)
    read = get_token_set("auth-event-1")
    assert read is not None
    assert read.status == "needs_reconnect"
    assert read.refresh_due_at is None


def test_an_unset_table_is_a_clear_configuration_error(aws, monkeypatch):
    from xero_bridge.errors import ConfigurationError
    from xero_bridge.settings import get_settings

    monkeypatch.delenv("TOKENS_TABLE")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="TOKENS_TABLE"):
        get_token_set("auth-event-1")
