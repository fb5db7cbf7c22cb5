"""Plumbing shared by the Accounting resources: the tenant's book, units of work, rendering."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import Response, g, request

from ..context import SimContext
from ..problems import NotFound, ValidationFailed, bad_request, json_response, validation_error
from ..state import ID_FIELDS, Record, TenantBook, new_id
from ..wire import loads_decimal
from .query import QueryError, apply_list_query

SIM_USER = "Xero Simulator"


class UnitOfWork:
    """Changes to one book inside one request. Webhooks and the created-log are only
    published on commit, so a rolled-back batch leaves no trace."""

    def __init__(self, sim: SimContext, book: TenantBook) -> None:
        self.sim = sim
        self.book = book
        self.now: datetime = sim.clock.now_dt()
        self._events: list[tuple[str, str, str]] = []
        self._created: list[tuple[str, Record]] = []

    def stamp(self, record: Record) -> Record:
        record["UpdatedDateUTC"] = self.now
        return record

    def history(self, resource_id: str, changes: str, details: str, user: str = SIM_USER) -> Record:
        entry = {"Changes": changes, "DateUTC": self.now, "User": user, "Details": details}
        self.book.history.setdefault(resource_id, []).append(entry)
        return entry

    def event(self, category: str, resource_id: str, event_type: str) -> None:
        self._events.append((category, resource_id, event_type))

    def created(self, kind: str, record: Record) -> None:
        self._created.append((kind, record))

    def snapshot(self) -> tuple[Any, Any, Any]:
        return (
            copy.deepcopy(self.book.records),
            copy.deepcopy(self.book.history),
            dict(self.book.counters),
        )

    def restore(self, snapshot: tuple[Any, Any, Any]) -> None:
        self.book.records, self.book.history, self.book.counters = snapshot
        self._events.clear()
        self._created.clear()

    def commit(self) -> None:
        for kind, record in self._created:
            self.sim.store.record_created(kind, self.book.tenant_id, copy.deepcopy(record))
        for category, resource_id, event_type in self._events:
            self.sim.webhooks.enqueue(self.book.tenant_id, category, resource_id, event_type)


@contextmanager
def unit_of_work(sim: SimContext) -> Iterator[UnitOfWork]:
    with sim.store.lock:
        work = UnitOfWork(sim, current_book(sim))
        yield work
        work.commit()


def current_book(sim: SimContext) -> TenantBook:
    book = sim.store.book(g.tenant_id)
    assert book is not None  # the gate checked it
    return book


@contextmanager
def reading(sim: SimContext) -> Iterator[TenantBook]:
    """The tenant's book, under the store's lock for a read (a write takes a unit of work)."""
    book = current_book(sim)
    with sim.store.lock:
        yield book


def request_json() -> Any:
    try:
        return loads_decimal(request.get_data())
    except ValueError as exc:
        raise ValidationFailed([f"The request body is not valid JSON: {exc}"]) from exc


def request_items(plural: str) -> list[Record]:
    """Xero takes {"Invoices": [...]}, a bare list, or a single object."""
    body = request_json()
    if isinstance(body, dict) and isinstance(body.get(plural), list):
        items = body[plural]
    elif isinstance(body, list):
        items = body
    elif isinstance(body, dict):
        items = [body]
    else:
        raise ValidationFailed(["The request body must be a JSON object"])
    if not all(isinstance(item, dict) for item in items):
        raise ValidationFailed([f"Each of {plural} must be an object"])
    return items


def flag(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    return default if raw is None else raw.strip().lower() == "true"


def copy_fields(record: Record, raw: Record, names: Iterable[str]) -> None:
    """Those of ``names`` that ``raw`` has, onto ``record`` as given."""
    for name in names:
        if name in raw:
            record[name] = raw[name]


def get_record(book: TenantBook, kind: str, record_id: str) -> Record:
    record = book.table(kind).get(record_id.lower())
    if record is None:
        raise NotFound(f"{kind} {record_id}")
    return record


Finder = Callable[[TenantBook, str], Record]
Renderer = Callable[[TenantBook, Record], Record]


def flag_attachments(plural: str) -> Renderer:
    """Renders a record of ``plural`` as stored, with HasAttachments as its attachments are."""
    id_field = ID_FIELDS[plural]

    def render(book: TenantBook, record: Record) -> Record:
        return {**record, "HasAttachments": bool(book.attachments.get(record[id_field]))}

    return render


# Where a failed element of a batch says so: most resources flag HasValidationErrors.
ERROR_FLAGS = {"Invoices": "HasErrors", "CreditNotes": "HasErrors"}


def batch_write(
    sim: SimContext,
    plural: str,
    handler: Callable[[UnitOfWork, Record], Record],
    renderer: Renderer,
    *,
    first_only: bool = False,
) -> Response:
    """Applies ``handler`` to each item of the request body (only the first with
    ``first_only``, as Xero does on single-record routes). summarizeErrors=true (Xero's
    default): all or nothing, 400 ValidationException listing the failures. false: 200 with
    each item's own errors."""
    items = request_items(plural)
    if first_only:
        items = items[:1]
    error_flag = ERROR_FLAGS.get(plural, "HasValidationErrors")
    summarize = flag("summarizeErrors", True)
    with sim.store.lock:
        work = UnitOfWork(sim, current_book(sim))
        snapshot = work.snapshot()
        results: list[Record] = []
        failures: list[Record] = []
        for item in items:
            try:
                record = handler(work, item)
            except ValidationFailed as failure:
                element = {**_echo(item, plural), **failure.as_element()}
                failures.append(element)
                results.append({**element, error_flag: True, "StatusAttributeString": "ERROR"})
            else:
                results.append({**renderer(work.book, record), "StatusAttributeString": "OK"})
        if failures and summarize:
            work.restore(snapshot)
            return validation_error(failures)
        work.commit()
    return json_response({plural: results})


def update_write(
    sim: SimContext,
    plural: str,
    record_id: str,
    update: Callable[[UnitOfWork, Record, Record], Record],
    renderer: Renderer,
    find: Finder | None = None,
) -> Response:
    """POST /{plural}/{id}: ``update(work, record, raw)`` with the first item of the body."""

    def handler(work: UnitOfWork, raw: Record) -> Record:
        return update(work, _find(work.book, plural, record_id, find), raw)

    return batch_write(sim, plural, handler, renderer, first_only=True)


def _echo(item: Record, plural: str) -> Record:
    """The submitted element as Xero echoes it in errors: only its own id, if any."""
    id_field = ID_FIELDS.get(plural)
    echo: Record = {}
    if id_field and isinstance(item.get(id_field), str):
        echo[id_field] = item[id_field]
    return echo


def list_response(
    sim: SimContext,
    plural: str,
    renderer: Renderer,
    extra_filters: dict[str, str] | None = None,
) -> Response:
    """GET /{plural}: the whole table through Xero's list options (IDs, where, order, page)."""
    with reading(sim) as book:
        try:
            selected, pagination = apply_list_query(
                list(book.table(plural).values()),
                request.args,
                request.headers,
                ID_FIELDS[plural],
                sim.config.max_page_size,
                extra_filters,
            )
        except QueryError as exc:
            return bad_request("QueryParseException", str(exc))
        body: Record = {plural: [renderer(book, r) for r in selected]}
        if pagination is not None:
            body = {"pagination": pagination, **body}
        return json_response(body)


def one_response(
    sim: SimContext, plural: str, record_id: str, renderer: Renderer, find: Finder | None = None
) -> Response:
    """GET /{plural}/{id}: the record (by id, or as ``find`` looks it up) in a list of one."""
    with reading(sim) as book:
        record = _find(book, plural, record_id, find)
        return json_response({plural: [renderer(book, record)]})


def _find(book: TenantBook, plural: str, record_id: str, find: Finder | None) -> Record:
    return find(book, record_id) if find is not None else get_record(book, plural, record_id)


def plain(book: TenantBook, record: Record) -> Record:
    return record


def fresh_id() -> str:
    return new_id()
