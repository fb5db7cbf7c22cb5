"""The DynamoDB toolkit without DynamoDB: paging, condition failures, update expressions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import Binary
from botocore.exceptions import ClientError

from xero_bridge.persistence.dynamodb import (
    condition_failure_item,
    is_condition_failure,
    query_all,
    query_page,
    query_pages,
    update_arguments,
    update_expression,
)


class PagedTable:
    """A table whose Query answers `pages` in turn, recording each call's arguments."""

    def __init__(self, pages: list[list[int]]) -> None:
        self.pages = pages
        self.calls: list[dict[str, Any]] = []

    def query(self, **arguments: Any) -> dict[str, Any]:
        self.calls.append(arguments)
        assert len(self.calls) <= 2 * len(self.pages), "the same page asked for again and again"
        number = int(arguments.get("ExclusiveStartKey", {}).get("page", -1)) + 1
        response: dict[str, Any] = {"Items": [{"n": n} for n in self.pages[number]]}
        if number + 1 < len(self.pages):
            response["LastEvaluatedKey"] = {"page": number}
        return response


def client_error(code: str, **extra: Any) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "no"}, **extra}, "UpdateItem")


def test_query_all_reads_every_page_in_order_continuing_after_each_last_key():
    table = PagedTable([[1, 2], [3], [], [4]])
    arguments = {"KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": "a"}}
    assert [item["n"] for item in query_all(table, **arguments)] == [1, 2, 3, 4]
    assert [call.get("ExclusiveStartKey") for call in table.calls] == [
        None,
        {"page": 0},
        {"page": 1},
        {"page": 2},
    ]
    assert all(call["KeyConditionExpression"] == "pk = :pk" for call in table.calls)
    assert "ExclusiveStartKey" not in arguments  # the caller's arguments are left alone


def test_pages_are_fetched_only_when_asked_for():
    table = PagedTable([[1], [2], [3]])
    first = next(query_pages(table))
    assert first.items == [{"n": 1}] and first.next_start == {"page": 0}
    assert len(table.calls) == 1
    assert any(page.items for page in query_pages(table))
    assert len(table.calls) == 2  # the first page had items: no second call


def test_a_page_continues_after_a_given_start_and_the_last_has_no_next_start():
    table = PagedTable([[1], [2]])
    last = query_page(table, {"page": 0}, Limit=5)
    assert last.items == [{"n": 2}] and last.next_start is None
    assert table.calls == [{"Limit": 5, "ExclusiveStartKey": {"page": 0}}]


def test_only_a_failed_condition_is_a_condition_failure():
    assert is_condition_failure(client_error("ConditionalCheckFailedException"))
    assert not is_condition_failure(client_error("ProvisionedThroughputExceededException"))
    assert not is_condition_failure(client_error("TransactionCanceledException"))
    assert not is_condition_failure(ValueError("ConditionalCheckFailedException"))


def test_the_item_a_failed_condition_returns_has_plain_values():
    exc = client_error(
        "ConditionalCheckFailedException",
        Item={
            "updated_ms": {"N": "1550793549320"},
            "publish_pending": {"BOOL": True},
            "publish_owner": {"S": "worker-1"},
            "data_gzip": {"B": b"\x1f\x8b"},
        },
    )
    assert condition_failure_item(exc) == {
        "updated_ms": Decimal("1550793549320"),
        "publish_pending": True,
        "publish_owner": "worker-1",
        "data_gzip": Binary(b"\x1f\x8b"),
    }
    assert condition_failure_item(client_error("ConditionalCheckFailedException")) is None


def test_update_expression_escapes_every_name_and_numbers_its_values():
    expression, names, values = update_expression(
        set={"status": "recorded", "data": {"a": 1}},
        remove=["failure", ("lease_ends", "call.1")],
        add={"calls": 1},
        delete={"pending_writes": {"e"}},
    )
    assert expression == "SET #s0 = :s0, #s1 = :s1 REMOVE #r0, #r1.#r2 ADD #a0 :a0 DELETE #d0 :d0"
    assert names == {
        "#s0": "status",
        "#s1": "data",
        "#r0": "failure",
        "#r1": "lease_ends",
        "#r2": "call.1",
        "#a0": "calls",
        "#d0": "pending_writes",
    }
    assert values == {
        ":s0": "recorded",
        ":s1": {"a": 1},
        ":a0": 1,
        ":d0": {"e"},
    }


def test_update_expression_leaves_out_clauses_with_nothing_in_them():
    assert update_expression(remove=["a"]) == ("REMOVE #r0", {"#r0": "a"}, {})
    with pytest.raises(ValueError):
        update_expression(set={}, remove=[])


def test_update_arguments_merge_condition_values_and_leave_out_empty_maps():
    assert update_arguments(set={"a": 1}, condition_values={":updated": 5}) == {
        "UpdateExpression": "SET #s0 = :s0",
        "ExpressionAttributeNames": {"#s0": "a"},
        "ExpressionAttributeValues": {":s0": 1, ":updated": 5},
    }
    assert update_arguments(remove=[("recent_calls", "c")]) == {
        "UpdateExpression": "REMOVE #r0.#r1",
        "ExpressionAttributeNames": {"#r0": "recent_calls", "#r1": "c"},
    }
