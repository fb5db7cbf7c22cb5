"""Helpers every endpoint uses: the JSON body, the envelope answer, idempotent creation, and
the routes every resource has."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from ..context import Sim
from ..errors import JSON, FieldErrors, invalid_api_usage, invalid_state
from ..store import Record
from ..validation import envelope, metadata
from ..wire import Getter, filter_records, paginate, public

Loader = Callable[[str], Record]
RecordView = Callable[[str], Response]  # a route on one record, given its id

if TYPE_CHECKING:
    from ..server import GoCardlessSimulator


def body() -> Any:
    raw = request.get_data(cache=True)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise invalid_api_usage(
            400, "invalid_document_structure", "Invalid document structure"
        ) from exc


def answer(kind: str, record: Record, status: int = 200) -> Response:
    return Response(json.dumps({kind: public(record)}), status=status, content_type=JSON)


def answer_list(page: dict[str, Any]) -> Response:
    return Response(json.dumps(page), content_type=JSON)


def create_once(sim: GoCardlessSimulator, kind: str, create: Callable[[], Record]) -> Response:
    """Runs `create` unless the Idempotency-Key already created a `kind`: then 409
    idempotent_creation_conflict naming it (the SDK fetches that one instead)."""
    key = request.headers.get("Idempotency-Key")
    config = sim.config
    now = sim.clock.now()
    if key is not None and len(key) > config.idempotency_key_max_length:
        raise invalid_api_usage(
            400,
            "idempotency_key_too_long",
            f"Idempotency key must be at most {config.idempotency_key_max_length} characters",
        )
    if key:
        existing = sim.store.created_with_key(kind, key, now)
        if existing is not None:
            raise invalid_state(
                "idempotent_creation_conflict",
                "A resource has already been created with this idempotency key",
                links={"conflicting_resource_id": existing},
                status=409,
            )
    record = create()
    if key:
        sim.store.remember_key(kind, key, record["id"], now + config.idempotency_ttl)
    return answer(kind, record, 201)


def list_answer(
    sim: GoCardlessSimulator,
    kind: str,
    equals: Mapping[str, Getter],
    choices: Mapping[str, tuple[str, ...]] | None = None,
) -> Response:
    records = filter_records(kind, sim.store.all(kind), request.args, equals, choices)
    config = sim.config
    return answer_list(
        paginate(kind, records, request.args, config.page_limit_default, config.page_limit_max)
    )


def update_metadata(kind: str, record: Record) -> Response:
    """PUT on payments and mandates: GoCardless accepts only `metadata` there."""
    data = envelope(body(), kind)
    errors = FieldErrors(kind)
    for name in set(data) - {"metadata"}:
        errors.add(name, "cannot be updated")
    meta = metadata(errors, data)
    errors.raise_if_any()
    record["metadata"] = meta
    return answer(kind, record)


def action_data() -> Record:
    """An action's body: `{"data": {...}}`, or nothing (the SDK sends `null` without params)."""
    return envelope(body(), "data", required=False)


def action_metadata() -> dict[str, str]:
    """The `metadata` of an action that takes nothing else (a cancel)."""
    errors = FieldErrors("data")
    meta = metadata(errors, action_data())
    errors.raise_if_any()
    return meta


class ResourceRoutes:
    """Adds to a blueprint the routes GoCardless gives a resource `kind`. The routes on one
    record find it with `load` (by default the stored one, or 404)."""

    def __init__(
        self, bp: Blueprint, sim: GoCardlessSimulator, kind: str, load: Loader | None = None
    ) -> None:
        self.bp = bp
        self.sim = sim
        self.kind = kind
        self.load = load or (lambda record_id: sim.store.require(kind, record_id))

    def standard(
        self,
        filters: Mapping[str, Getter],
        choices: Mapping[str, tuple[str, ...]] | None = None,
        create: Callable[[Sim, Record], Record] | None = None,
    ) -> None:
        """The routes every resource has: GET /<kind> (newest first, paginated, narrowed by
        the query's `filters`) and GET /<kind>/<id>; given `create`, POST /<kind> (the body's
        `kind` envelope, created once per Idempotency-Key)."""

        def index() -> Response:
            return list_answer(self.sim, self.kind, filters, choices)

        def show(record_id: str) -> Response:
            return answer(self.kind, self.load(record_id))

        self.bp.add_url_rule(f"/{self.kind}", f"index_{self.kind}", index, methods=["GET"])
        self._on_record("", "show", show, "GET")
        if create is None:
            return

        def add() -> Response:
            data = envelope(body(), self.kind)
            return create_once(self.sim, self.kind, lambda: create(self.sim, data))

        self.bp.add_url_rule(f"/{self.kind}", f"create_{self.kind}", add, methods=["POST"])

    def update_metadata(self) -> None:
        """PUT /<kind>/<id> that takes `metadata` alone (payments, mandates)."""

        def update(record_id: str) -> Response:
            return update_metadata(self.kind, self.load(record_id))

        self._on_record("", "update", update, "PUT")

    def cancel(self, cancel: Callable[[Sim, Record, dict[str, str]], Record]) -> None:
        """POST /<kind>/<id>/actions/cancel, whose data is `metadata` alone."""

        def cancel_route(record_id: str) -> Response:
            record = self.load(record_id)
            return answer(self.kind, cancel(self.sim, record, action_metadata()))

        self._on_record("/actions/cancel", "cancel", cancel_route, "POST")

    def _on_record(self, tail: str, name: str, view: RecordView, method: str) -> None:
        rule = f"/{self.kind}/<record_id>{tail}"
        self.bp.add_url_rule(rule, f"{name}_{self.kind}", view, methods=[method])
