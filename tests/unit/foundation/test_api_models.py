"""The API's model rules: answers are frozen, bodies refuse unknown fields, and an answer made
from a stored record takes only what the answer declares."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from xero_bridge.api_models import ApiAnswer, ApiRequest, answer_from


class EndpointOut(ApiAnswer):
    endpoint_id: str
    url: str
    status: str


@dataclass
class StoredEndpoint:
    id: str
    url: str
    status: str
    secret_sealed: bytes


def test_an_answer_from_a_record_takes_its_fields_and_what_differs_but_nothing_else() -> None:
    record = StoredEndpoint("we_1", "https://example.com/hook", "failing", b"sealed")
    answer = answer_from(EndpointOut, record, endpoint_id=record.id, status="active")
    assert answer.model_dump() == {
        "endpoint_id": "we_1",
        "url": "https://example.com/hook",
        "status": "active",  # what differs wins over the record's own value
    }
    assert "secret_sealed" not in answer.model_dump_json()


def test_an_answer_from_a_record_missing_a_field_is_refused() -> None:
    record = StoredEndpoint("we_1", "https://example.com/hook", "active", b"")
    with pytest.raises(ValidationError, match="endpoint_id"):
        answer_from(EndpointOut, record)


def test_an_answer_cannot_be_changed_and_a_body_refuses_what_it_does_not_know() -> None:
    class Body(ApiRequest):
        name: str

    answer = EndpointOut(endpoint_id="we_1", url="u", status="active")
    with pytest.raises(ValidationError):
        answer.status = "failing"
    assert Body.model_validate({"name": "  Acme  "}).name == "Acme"
    with pytest.raises(ValidationError, match="nmae"):
        Body.model_validate({"name": "Acme", "nmae": "typo"})
