"""The /_sim/ routes every simulator has: reset, its clock, and its injected faults.

Each simulator answers in its own JSON flavour (`respond(body, status)`) and says how time
is shown and moved; the rest of its control surface stays in its own module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, fields
from typing import Any

from flask import Blueprint, Response, request

from .clock import SimClock
from .faults import FaultList, FaultTable, InjectedFault

Respond = Callable[[Any, int], Response]


def json_object() -> dict[str, Any]:
    """The request's JSON body if it is an object, else {} (control calls are lenient)."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def add_clock_routes(
    bp: Blueprint,
    reset: Callable[[], None],
    clock: SimClock,
    respond: Respond,
    *,
    show_time: Callable[[float], Any] = float,
    advance: Callable[[float], object] | None = None,
) -> Callable[[], Response]:
    """POST /reset, GET /clock ({offset, now}) and, given `advance`, POST /clock/advance
    {seconds} (answering the clock). Answers the GET /clock view."""

    @bp.post("/reset")
    def reset_all() -> Response:
        reset()
        return respond({"ok": True}, 200)

    @bp.get("/clock")
    def show_clock() -> Response:
        return respond({"offset": clock.offset, "now": show_time(clock.now())}, 200)

    if advance is not None:
        move = advance

        @bp.post("/clock/advance")
        def advance_clock() -> Response:
            move(float(json_object().get("seconds", 0)))
            return show_clock()

    return show_clock


def add_fault_routes[F: InjectedFault](
    bp: Blueprint,
    faults: FaultList[F],
    create: Callable[[dict[str, Any]], F],
    accepted: Iterable[str],
    respond: Respond,
    *,
    created: Callable[[F], dict[str, Any]] = asdict,
    listed: Callable[[], dict[str, Any]] = dict,
) -> None:
    """POST /faults: the `accepted` fields of the body go to `create` (a TypeError or
    ValueError is a 400 {error}), answering 201 and the fault as `created` shows it.
    GET /faults: {faults, **listed()}. DELETE /faults: 204."""
    names = set(accepted)

    @bp.post("/faults")
    def add_fault() -> Response:
        settings = {k: v for k, v in json_object().items() if k in names}
        try:
            fault = create(settings)
        except (TypeError, ValueError) as exc:
            return respond({"error": str(exc)}, 400)
        return respond(created(fault), 201)

    @bp.get("/faults")
    def list_faults() -> Response:
        return respond({"faults": [asdict(f) for f in faults.active()], **listed()}, 200)

    @bp.delete("/faults")
    def clear_faults() -> Response:
        faults.clear()
        return Response(status=204)


def add_fault_table_routes[F: InjectedFault](
    bp: Blueprint, faults: FaultTable[F], fault_type: type[F], respond: Respond
) -> None:
    """`add_fault_routes` for faults made from the body's `fault_type` init fields."""
    add_fault_routes(
        bp,
        faults,
        lambda given: faults.add(fault_type(**given)),
        {f.name for f in fields(fault_type) if f.init},
        respond,
    )
