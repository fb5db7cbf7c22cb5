"""Items (products and services): list, get, create, update, delete."""

from __future__ import annotations

from xero_python.accounting import models as xm

from xero_bridge.records import mapping
from xero_bridge.records import models as m
from xero_bridge.records.query import ItemQuery, item_args
from xero_bridge.records.results import idempotency, listed, only
from xero_bridge.xero.client import accounting_api, xero_call

UNITDP = 4


def list_items(tenant_id: str, query: ItemQuery) -> m.ItemList:
    """Xero returns every item in one call; we page them (page, page_size)."""
    items, following = listed(
        tenant_id, "get_items", item_args(query), "items", mapping.item_from_xero, query
    )
    return m.ItemList(items=items, page=query.page, next_page=following)


def get_item(tenant_id: str, item_id: str) -> m.Item:
    api = accounting_api(tenant_id)
    answer = xero_call(lambda: api.get_item(tenant_id, item_id, unitdp=UNITDP))
    return mapping.item_from_xero(only(answer.items, "item"))


def create_item(tenant_id: str, data: m.ItemCreate, idempotency_key: str | None = None) -> m.Item:
    api = accounting_api(tenant_id)
    body = xm.Items(items=[mapping.item_to_xero(data)])
    extra = idempotency(idempotency_key)
    answer = xero_call(lambda: api.create_items(tenant_id, body, unitdp=UNITDP, **extra))
    return mapping.item_from_xero(only(answer.items, "item"))


def update_item(tenant_id: str, item_id: str, data: m.ItemUpdate) -> m.Item:
    """Xero needs the Code on every write: without a new one, the current code is kept
    (one more read)."""
    current_code = None if data.code else get_item(tenant_id, item_id).code
    api = accounting_api(tenant_id)
    body = xm.Items(items=[mapping.item_to_xero(data, item_id, current_code)])
    answer = xero_call(lambda: api.update_item(tenant_id, item_id, body, unitdp=UNITDP))
    return mapping.item_from_xero(only(answer.items, "item"))


def delete_item(tenant_id: str, item_id: str) -> None:
    api = accounting_api(tenant_id)
    xero_call(lambda: api.delete_item(tenant_id, item_id))
