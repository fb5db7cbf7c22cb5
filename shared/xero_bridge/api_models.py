"""The two kinds of model the API is made of, so each rule is stated once.

- `ApiAnswer`: what a route answers (and what the API description shows). Frozen: an answer
  is built once, from a record, and never edited on its way out. Fields it does not declare
  are ignored, so a stored record with more in it still makes an answer.
- `ApiRequest`: a request body. A field it does not declare is refused (a 400 naming it:
  a typo must not be dropped silently, least of all on a payment), and text is stripped.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ApiAnswer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class ApiRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
