"""The local receiver answers as Slack and Discord do, refuses what they refuse, and records
every call; its behaviours make an endpoint fail or dawdle on demand."""

from __future__ import annotations

import time

import httpx

from devstack.receiver import Behaviour, Receiver


def test_slack_takes_text_or_blocks_and_refuses_the_rest(receiver: Receiver) -> None:
    url = receiver.slack_url()
    for body in ({"text": "hi"}, {"blocks": [{"type": "divider"}]}):
        taken = httpx.post(url, json=body)
        assert (taken.status_code, taken.text) == (200, "ok")
    empty = httpx.post(url, json={"username": "x"})
    assert (empty.status_code, empty.text) == (400, "no_text")
    broken = httpx.post(url, content=b"text=hi")
    assert (broken.status_code, broken.text) == (400, "invalid_payload")
    elsewhere = httpx.post(f"{receiver.url}/slack/services/nope", json={"text": "hi"})
    assert (elsewhere.status_code, elsewhere.text) == (404, "no_service")
    assert len(receiver.calls("/slack/")) == 5


def test_discord_takes_content_or_embeds_within_its_limit(receiver: Receiver) -> None:
    url = receiver.discord_url()
    assert httpx.post(url, json={"content": "hi"}).status_code == 204
    waited = httpx.post(url + "?wait=true", json={"content": "hi"})
    assert waited.status_code == 200 and waited.json()["content"] == "hi"
    assert httpx.post(url, json={"embeds": [{"title": "t"}]}).status_code == 204
    empty = httpx.post(url, json={"content": ""})
    assert empty.status_code == 400 and empty.json()["code"] == 50006
    long = httpx.post(url, json={"content": "x" * 2001})
    assert long.status_code == 400 and long.json()["code"] == 50035
    bad = httpx.post(f"{receiver.url}/discord/api/webhooks/abc/x", json={"content": "hi"})
    assert bad.status_code == 401 and bad.json()["code"] == 50027


def test_behaviours_script_statuses_delays_and_how_often(receiver: Receiver) -> None:
    receiver.behave(Behaviour("/hooks/x", statuses=[500, 503]))
    answers = [httpx.post(f"{receiver.url}/hooks/x", json={}).status_code for _ in range(3)]
    assert answers == [500, 503, 200]
    receiver.behave(Behaviour("/hooks/slow", delay_seconds=0.3, times=1))
    started = time.monotonic()
    httpx.post(f"{receiver.url}/hooks/slow", json={})
    first = time.monotonic() - started
    started = time.monotonic()
    httpx.post(f"{receiver.url}/hooks/slow", json={})
    assert first >= 0.3 and time.monotonic() - started < 0.3
    control = httpx.post(
        f"{receiver.url}/_receiver/behaviour", json={"path_prefix": "/hooks/y", "statuses": [418]}
    )
    assert control.status_code == 201
    assert httpx.post(f"{receiver.url}/hooks/y", json={}).status_code == 418
    assert httpx.post(f"{receiver.url}/_receiver/behaviour", json={}).status_code == 400
    calls = httpx.get(f"{receiver.url}/_receiver/calls", params={"path": "/hooks/x"}).json()
    assert [c["answered"] for c in calls["calls"]] == [500, 503, 200]
    assert httpx.delete(f"{receiver.url}/_receiver/calls").status_code == 204
    assert receiver.calls() == []
