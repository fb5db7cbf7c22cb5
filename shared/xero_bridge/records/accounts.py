"""Accounts (the chart of accounts): list, get, create, update, archive, delete."""

from __future__ import annotations

from xero_python.accounting import models as xm

from xero_bridge.records import mapping
from xero_bridge.records import models as m
from xero_bridge.records.query import AccountQuery, account_args
from xero_bridge.records.results import idempotency, listed, only
from xero_bridge.xero.client import accounting_api, xero_call


def list_accounts(tenant_id: str, query: AccountQuery) -> m.AccountList:
    """Xero returns the whole chart in one call; we page it (page, page_size)."""
    accounts, following = listed(
        tenant_id, "get_accounts", account_args(query), "accounts", mapping.account_from_xero, query
    )
    return m.AccountList(accounts=accounts, page=query.page, next_page=following)


def get_account(tenant_id: str, account_id: str) -> m.Account:
    api = accounting_api(tenant_id)
    answer = xero_call(lambda: api.get_account(tenant_id, account_id))
    return mapping.account_from_xero(only(answer.accounts, "account"))


def create_account(
    tenant_id: str, data: m.AccountCreate, idempotency_key: str | None = None
) -> m.Account:
    api = accounting_api(tenant_id)
    account = mapping.account_to_xero(data)
    extra = idempotency(idempotency_key)
    answer = xero_call(lambda: api.create_account(tenant_id, account, **extra))
    return mapping.account_from_xero(only(answer.accounts, "account"))


def update_account(tenant_id: str, account_id: str, data: m.AccountUpdate) -> m.Account:
    return _post(tenant_id, account_id, mapping.account_to_xero(data))


def archive_account(tenant_id: str, account_id: str) -> m.Account:
    return _post(tenant_id, account_id, mapping.account_status("ARCHIVED"))


def delete_account(tenant_id: str, account_id: str) -> None:
    """Xero deletes only accounts without transactions (else a 422 with its message)."""
    api = accounting_api(tenant_id)
    xero_call(lambda: api.delete_account(tenant_id, account_id))


def _post(tenant_id: str, account_id: str, account: xm.Account) -> m.Account:
    api = accounting_api(tenant_id)
    body = xm.Accounts(accounts=[account])
    answer = xero_call(lambda: api.update_account(tenant_id, account_id, body))
    return mapping.account_from_xero(only(answer.accounts, "account"))
