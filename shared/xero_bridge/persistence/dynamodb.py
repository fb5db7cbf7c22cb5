"""The DynamoDB toolkit every table module uses: tables, paged queries, conditional writes.

- `table(name)`: the boto3 Table, created once per process (`low_level_client()`: a plain
  client, for libraries that take one).
- `get_item` / `batch_get`: one item by key, or every item of many keys that exists.
- `delete_item(table, key)`: remove an item, saying whether there was one.
- `compact(item)`: an item without its None values (DynamoDB stores no null we want).
- `as_bytes(value)`: a Binary attribute's bytes.
- `query_page` / `query_pages` / `query_all`: a Query one page at a time (with the key the
  next page starts after), page after page, or item after item.
- `conditional_write(write, **arguments)`: a conditional write that may be refused, and what
  came of it (`Outcome`); any other failure raises.
- `is_condition_failure(exc)`: whether a write failed only because its condition was false;
  `condition_failure_item(exc)`: the item such a write returned
  (`ReturnValuesOnConditionCheckFailure`).
- `update_expression(set=, remove=, add=, delete=)`: an UpdateExpression with every attribute
  name escaped, and `update_arguments(...)`: the same as UpdateItem's keyword arguments.
- `STORE_ERRORS`: what a failing call to DynamoDB raises, for callers outside this package.

boto3 honours AWS_ENDPOINT_URL, which is how `make dev` and the tests point every
client at moto without code of ours knowing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# Fail fast: a Lambda must not spend its whole timeout on an unreachable table.
_CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3})

# A DynamoDB call that failed: refused by the service, or never answered.
STORE_ERRORS: tuple[type[Exception], ...] = (ClientError, BotoCoreError)

# An attribute to remove: a top-level name, or a path into maps ("lease_ends", call_id).
AttributePath = str | tuple[str, ...]


@lru_cache(maxsize=1)
def dynamodb_resource() -> Any:
    return boto3.resource("dynamodb", config=_CLIENT_CONFIG)


@lru_cache(maxsize=32)
def table(name: str) -> Any:
    """A boto3 Table by name (cached; creating one costs nothing over the network)."""
    return dynamodb_resource().Table(name)


@lru_cache(maxsize=1)
def low_level_client() -> Any:
    """A plain DynamoDB client (typed attribute values, which the resource's own client
    converts), with the resource's configuration: what Powertools' idempotency store takes."""
    return boto3.client("dynamodb", config=dynamodb_resource().meta.client.meta.config)


def reset_clients() -> None:
    """Forget cached clients (tests that switch endpoints or credentials call this)."""
    table.cache_clear()
    low_level_client.cache_clear()
    dynamodb_resource.cache_clear()


# BatchGetItem takes at most this many keys a call.
BATCH_GET_MAX = 100


# ---------------------------------------------------------------------------- items
def get_item(
    table: Any, key: Mapping[str, Any], *, consistent: bool = True
) -> dict[str, Any] | None:
    """The item under `key`, or None (read strongly consistent unless told otherwise)."""
    item: dict[str, Any] | None = table.get_item(Key=key, ConsistentRead=consistent).get("Item")
    return item


def batch_get(
    table: Any, keys: Sequence[Mapping[str, Any]], **options: Any
) -> list[dict[str, Any]]:
    """Every item of `keys` that exists, in no particular order: BatchGetItem, 100 keys a
    call, unprocessed keys asked for again. `options` go into each request (ConsistentRead,
    ProjectionExpression, ExpressionAttributeNames)."""
    client = table.meta.client  # the resource's client: plain Python values, as Table takes
    found: list[dict[str, Any]] = []
    for start in range(0, len(keys), BATCH_GET_MAX):
        chunk = list(keys[start : start + BATCH_GET_MAX])
        request: dict[str, Any] = {table.name: {"Keys": chunk, **options}}
        while request:
            answer = client.batch_get_item(RequestItems=request)
            found.extend(answer.get("Responses", {}).get(table.name, []))
            request = answer.get("UnprocessedKeys") or {}
    return found


def delete_item(table: Any, key: Mapping[str, Any]) -> bool:
    """Remove the item under `key`; True when there was one."""
    return bool(table.delete_item(Key=key, ReturnValues="ALL_OLD").get("Attributes"))


def compact(item: Mapping[str, Any]) -> dict[str, Any]:
    """`item` without the attributes whose value is None."""
    return {name: value for name, value in item.items() if value is not None}


def as_bytes(value: Any) -> bytes:
    """The bytes of a Binary attribute (boto3 gives a `Binary`, a stub may give bytes)."""
    return bytes(value.value if hasattr(value, "value") else value)


# ---------------------------------------------------------------------------- queries
@dataclass(frozen=True)
class Page:
    """One page of a Query, and the key the next page starts after (None: the last page)."""

    items: list[dict[str, Any]]
    next_start: dict[str, Any] | None


def query_page(table: Any, start: Mapping[str, Any] | None = None, **arguments: Any) -> Page:
    """One Query call with `arguments`, continuing after `start` when given."""
    if start:
        arguments["ExclusiveStartKey"] = start
    response = table.query(**arguments)
    return Page(response.get("Items", []), response.get("LastEvaluatedKey") or None)


def query_pages(
    table: Any, start: Mapping[str, Any] | None = None, **arguments: Any
) -> Iterator[Page]:
    """Every page of a Query, fetched only as the caller asks for the next one."""
    while True:
        page = query_page(table, start, **arguments)
        yield page
        if page.next_start is None:
            return
        start = page.next_start


def query_all(table: Any, **arguments: Any) -> Iterator[dict[str, Any]]:
    """Every item a Query matches, page after page (lazily)."""
    for page in query_pages(table, **arguments):
        yield from page.items


# ---------------------------------------------------------------------------- conditions
@dataclass(frozen=True)
class Outcome:
    """What came of a conditional write: `written`, with the item DynamoDB returned
    (`attributes`, per ReturnValues); or refused, with the item as it stood (`current`, when
    the write asked for ReturnValuesOnConditionCheckFailure and the item exists)."""

    written: bool
    attributes: dict[str, Any] | None = None
    current: dict[str, Any] | None = None


def conditional_write(write: Callable[..., Any], **arguments: Any) -> Outcome:
    """Call `write` (a Table's put_item, update_item or delete_item) with `arguments`; a
    refusal because its condition was false is an Outcome, any other failure raises."""
    try:
        answer = write(**arguments)
    except ClientError as exc:
        if not is_condition_failure(exc):
            raise
        return Outcome(False, current=condition_failure_item(exc))
    return Outcome(True, attributes=answer.get("Attributes"))


def is_condition_failure(exc: BaseException) -> bool:
    """Whether `exc` is DynamoDB refusing a write because its condition did not hold."""
    return (
        isinstance(exc, ClientError)
        and exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
    )


def condition_failure_item(exc: ClientError) -> dict[str, Any] | None:
    """The item a refused conditional write returned (ReturnValuesOnConditionCheckFailure),
    with plain Python values; None when it returned none (or the item does not exist)."""
    returned: Any = exc.response.get("Item")
    if not returned:
        return None
    deserializer = TypeDeserializer()
    return {name: deserializer.deserialize(value) for name, value in returned.items()}


# ---------------------------------------------------------------------------- updates
class _Placeholders:
    """Numbered `#<letter>n` names and `:<letter>n` values, a count per letter."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self._counts: dict[str, int] = {}

    def _next(self, kind: str) -> str:
        number = self._counts.get(kind, 0)
        self._counts[kind] = number + 1
        return f"{kind}{number}"

    def path(self, letter: str, attribute: AttributePath) -> str:
        segments = (attribute,) if isinstance(attribute, str) else attribute
        placeholders = []
        for segment in segments:
            placeholder = self._next(f"#{letter}")
            self.names[placeholder] = segment
            placeholders.append(placeholder)
        return ".".join(placeholders)

    def value(self, letter: str, value: Any) -> str:
        placeholder = self._next(f":{letter}")
        self.values[placeholder] = value
        return placeholder


def update_expression(
    *,
    set: Mapping[str, Any] | None = None,
    remove: Iterable[AttributePath] = (),
    add: Mapping[str, Any] | None = None,
    delete: Mapping[str, Any] | None = None,
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """An UpdateExpression and its attribute names and values.

    Every name is a placeholder (`#s0`, `#r1`…), so reserved words (DATA, STATUS) and map
    keys of any text are safe; values are `:s0`, `:a0`, `:d0`. None of them can clash with
    boto3's condition builder (`#n…`, `:v…`) or with `:word` values of a caller's condition.
    """
    p = _Placeholders()
    clauses = []
    if set:
        clauses.append(
            "SET " + ", ".join(f"{p.path('s', a)} = {p.value('s', v)}" for a, v in set.items())
        )
    removed = [p.path("r", attribute) for attribute in remove]
    if removed:
        clauses.append("REMOVE " + ", ".join(removed))
    for keyword, letter, pairs in (("ADD", "a", add), ("DELETE", "d", delete)):
        if pairs:
            terms = [f"{p.path(letter, a)} {p.value(letter, v)}" for a, v in pairs.items()]
            clauses.append(f"{keyword} " + ", ".join(terms))
    if not clauses:
        raise ValueError("an update must set, remove, add or delete something")
    return " ".join(clauses), p.names, p.values


def update_arguments(
    *,
    set: Mapping[str, Any] | None = None,
    remove: Iterable[AttributePath] = (),
    add: Mapping[str, Any] | None = None,
    delete: Mapping[str, Any] | None = None,
    condition_values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`update_expression` as UpdateItem's keyword arguments, with the `:name` values of a
    string ConditionExpression merged in (empty maps left out: DynamoDB refuses them)."""
    expression, names, values = update_expression(set=set, remove=remove, add=add, delete=delete)
    values.update(condition_values or {})
    arguments: dict[str, Any] = {"UpdateExpression": expression}
    if names:
        arguments["ExpressionAttributeNames"] = names
    if values:
        arguments["ExpressionAttributeValues"] = values
    return arguments
