"""The routes every Accounting collection is served on, from one description of it.

Xero's collections share their shape: GET /{plural} (with the list options), GET
/{plural}/{ref}, PUT /{plural} (create), POST /{plural} (create or update) and POST
/{plural}/{ref} (update one), each write taking a batch or only its first item. A `Resource`
names the collection's handlers; `serve` mounts a route for each one it has. Routes of their
own (deletes, allocations, e-mail) stay in the resource's module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response

from ..context import SimContext
from ..state import Record
from .common import (
    Finder,
    Renderer,
    UnitOfWork,
    batch_write,
    list_response,
    one_response,
    plain,
    update_write,
)

Writer = Callable[[UnitOfWork, Record], Record]
Updater = Callable[[UnitOfWork, Record, Record], Record]


@dataclass(frozen=True)
class Resource:
    """One collection: its name in paths and bodies, how it renders, and its handlers."""

    plural: str
    render: Renderer = plain
    # GET /{plural}/{ref}: the record by id, unless ``find`` looks it up otherwise.
    find: Finder | None = None
    # GET /{plural}: Xero's extra list parameters -> the field each one filters on.
    list_filters: dict[str, str] | None = None
    put: Writer | None = None  # PUT /{plural}: each item of the body
    post: Writer | None = None  # POST /{plural}: each item of the body
    single: tuple[str, ...] = ()  # the methods of those two that take only the first item
    # POST /{plural}/{ref}: the body's first item onto the record (by id unless update_find).
    update: Updater | None = None
    update_find: Finder | None = None


def serve(bp: Blueprint, sim: SimContext, resource: Resource) -> None:
    plural, render = resource.plural, resource.render

    def list_records() -> Response:
        return list_response(sim, plural, render, resource.list_filters)

    def get_record(ref: str) -> Response:
        return one_response(sim, plural, ref, render, find=resource.find)

    bp.add_url_rule(f"/{plural}", f"list_{plural}", list_records, methods=["GET"])
    bp.add_url_rule(f"/{plural}/<ref>", f"get_{plural}", get_record, methods=["GET"])
    for method, writer in (("PUT", resource.put), ("POST", resource.post)):
        if writer is not None:
            view = _batch_view(sim, resource, writer, first_only=method in resource.single)
            bp.add_url_rule(f"/{plural}", f"{method.lower()}_{plural}", view, methods=[method])
    if resource.update is not None:
        bp.add_url_rule(
            f"/{plural}/<ref>", f"update_{plural}", _update_view(sim, resource), methods=["POST"]
        )


def _batch_view(
    sim: SimContext, resource: Resource, writer: Writer, *, first_only: bool
) -> Callable[[], Response]:
    def write() -> Response:
        return batch_write(sim, resource.plural, writer, resource.render, first_only=first_only)

    return write


def _update_view(sim: SimContext, resource: Resource) -> Callable[[str], Response]:
    update = resource.update
    assert update is not None

    def update_record(ref: str) -> Response:
        return update_write(
            sim, resource.plural, ref, update, resource.render, find=resource.update_find
        )

    return update_record
