"""The two kinds of model the API is made of, so each rule is stated once.

- `ApiAnswer`: what a route answers (and what the API description shows). Frozen: an answer
  is built once, from a record, and never edited on its way out. Fields it does not declare
  are ignored, so a stored record with more in it still makes an answer.
- `answer_from`: an answer made from a stored record, its fields named alike taken as they are.
- `ApiRequest`: a request body. A field it does not declare is refused (a 400 naming it:
  a typo must not be dropped silently, least of all on a payment), and text is stripped.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, ConfigDict


class ApiAnswer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class ApiRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def answer_from[M: BaseModel](model: type[M], record: Any, **differs: Any) -> M:
    """`model` from a stored record (a pydantic model or a dataclass): the fields the two name
    alike taken as they are, `differs` for what the answer names or says another way.
    Only `model`'s own fields are taken, so nothing else a record holds reaches an answer."""
    fields = record.model_dump() if isinstance(record, BaseModel) else dataclasses.asdict(record)
    wanted = {name: value for name, value in fields.items() if name in model.model_fields}
    return model.model_validate({**wanted, **differs})
