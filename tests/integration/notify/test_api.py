"""The notify API: webhook endpoints (secret shown once, stored sealed), notification
channels (targets checked, sealed, never shown), and who may call it."""

from __future__ import annotations

import json

import boto3
import pytest

from devstack.receiver import Behaviour, Receiver
from tests.integration.notify.conftest import OTHER_TENANT, TENANT, api, sent_emails
from xero_bridge.notify import addresses

T = f"/tenants/{TENANT}"


def _endpoint(url: str, events: list[str] | None = None, tenant: str = TENANT) -> dict:
    answer = api(
        "POST",
        f"/tenants/{tenant}/webhook_endpoints",
        body={"url": url, "events": events or ["*"], "description": "ERP"},
    )
    assert answer.status == 201, answer.body
    return answer.body


def _deployed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the local stack's setting, as deployed."""
    from xero_bridge.settings import get_settings

    monkeypatch.setenv("NOTIFY_ALLOW_LOOPBACK", "false")
    get_settings.cache_clear()


def _raw_items(table_name: str) -> str:
    return json.dumps(boto3.resource("dynamodb").Table(table_name).scan()["Items"], default=repr)


def test_an_endpoint_answers_its_secret_once_and_keeps_it_sealed(notify, receiver) -> None:
    created = _endpoint(f"{receiver.url}/hooks/erp", ["contact.updated", "payment.*"])
    secret = created["secret"]
    assert secret.startswith("whsec_")
    assert created["events"] == ["contact.updated", "payment.*"]
    assert created["status"] == "active" and created["created_by"] == "root"
    listed = api("GET", f"{T}/webhook_endpoints")
    assert listed.status == 200
    [shown] = listed.body["webhook_endpoints"]
    assert shown["webhook_endpoint_id"] == created["webhook_endpoint_id"]
    assert "secret" not in shown and secret not in json.dumps(listed.body)
    stored = _raw_items(notify["WebhookEndpointsTable"].ref)
    assert created["webhook_endpoint_id"] in stored and secret not in stored  # sealed by KMS
    assert api("GET", f"/tenants/{OTHER_TENANT}/webhook_endpoints").body["webhook_endpoints"] == []


def test_removing_an_endpoint(notify, receiver) -> None:
    created = _endpoint(f"{receiver.url}/hooks/erp")
    path = f"{T}/webhook_endpoints/{created['webhook_endpoint_id']}"
    assert api("DELETE", path).status == 204
    assert api("DELETE", path).status == 404
    assert api("GET", f"{T}/webhook_endpoints").body["webhook_endpoints"] == []
    other = api("DELETE", f"/tenants/{OTHER_TENANT}/webhook_endpoints/we_{'0' * 24}")
    assert other.status == 404


def test_only_administrators_with_a_grant_manage_endpoints_and_channels(notify, receiver) -> None:
    body = {"url": f"{receiver.url}/hooks/erp", "events": ["*"]}
    refused = api("POST", f"{T}/webhook_endpoints", sub="alice", groups=["finance"], body=body)
    assert refused.status == 403
    assert api("GET", f"{T}/notification_channels", sub="alice", groups=[]).status == 403
    # an administrator without a grant to this organisation is refused too
    stranger = api("GET", f"{T}/webhook_endpoints", sub="root2")
    assert stranger.status == 403 and stranger.body["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://hooks.example.com/x", "https://"),
        ("https://127.0.0.1/x", "loopback"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://10.0.0.12/hook", "private"),
        ("https://[fd00:ec2::254]/x", "private"),
    ],
)
def test_a_url_inside_is_refused(notify, url: str, problem: str, monkeypatch) -> None:
    _deployed(monkeypatch)
    answer = api("POST", f"{T}/webhook_endpoints", body={"url": url, "events": ["*"]})
    assert answer.status == 400, answer.body
    assert problem in answer.body["error"]["message"]
    assert answer.body["error"]["details"][0]["field"] == "url"


def test_a_name_that_resolves_inside_is_refused(notify, monkeypatch) -> None:
    _deployed(monkeypatch)
    for address in ("127.0.0.1", "169.254.169.254", "192.168.0.10"):
        monkeypatch.setattr(addresses, "resolver", lambda host, port, a=address: [a])
        body = {"url": "https://erp.acme-erp.com/hooks", "events": ["*"]}
        answer = api("POST", f"{T}/webhook_endpoints", body=body)
        assert answer.status == 400 and "resolves to" in answer.body["error"]["message"]
    monkeypatch.setattr(addresses, "resolver", lambda host, port: ["93.184.216.34"])
    assert api("POST", f"{T}/webhook_endpoints", body=body).status == 201


def test_loopback_is_refused_without_the_local_setting(notify, receiver, monkeypatch) -> None:
    monkeypatch.setenv("NOTIFY_ALLOW_LOOPBACK", "false")
    from xero_bridge.settings import get_settings

    get_settings.cache_clear()
    body = {"url": f"{receiver.url}/hooks/erp", "events": ["*"]}
    assert api("POST", f"{T}/webhook_endpoints", body=body).status == 400
    monkeypatch.setenv("NOTIFY_ALLOW_LOOPBACK", "true")
    monkeypatch.setenv("APP_ENV", "prod")  # the setting means nothing outside local and test
    get_settings.cache_clear()
    assert api("POST", f"{T}/webhook_endpoints", body=body).status == 400


def test_unknown_event_types_are_named(notify, receiver) -> None:
    body = {"url": f"{receiver.url}/hooks/erp", "events": ["contact.updated", "contact.deleted"]}
    answer = api("POST", f"{T}/webhook_endpoints", body=body)
    assert answer.status == 400
    assert "contact.deleted" in json.dumps(answer.body["error"]["details"])


def test_a_slack_channel_is_checked_sealed_and_shown_only_in_part(notify, receiver) -> None:
    url = receiver.slack_url()
    body = {"kind": "slack", "target": url, "alerts": ["connection.needs_reconnect"]}
    created = api("POST", f"{T}/notification_channels", body=body)
    assert created.status == 201, created.body
    token = url.rsplit("/", 1)[-1]
    assert token not in json.dumps(created.body)
    assert created.body["target_hint"].endswith(token[-4:])
    listed = api("GET", f"{T}/notification_channels").body["notification_channels"]
    assert [c["notification_channel_id"] for c in listed] == [
        created.body["notification_channel_id"]
    ]
    assert token not in json.dumps(listed)
    assert token not in _raw_items(notify["NotificationChannelsTable"].ref)
    channel = f"{T}/notification_channels/{created.body['notification_channel_id']}"
    assert api("DELETE", channel).status == 204
    assert api("DELETE", channel).status == 404


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("slack", "https://hooks.example.com/services/T1/B1/abc"),
        ("slack", "https://hooks.slack.com/api/not-a-webhook"),
        ("discord", "https://discord.com/channels/1/2"),
        ("discord", "http://discord.com/api/webhooks/1/abc"),
        ("email", "not-an-address"),
    ],
)
def test_targets_that_are_not_channels_are_refused(notify, kind: str, target: str) -> None:
    body = {"kind": kind, "target": target, "alerts": ["*"]}
    answer = api("POST", f"{T}/notification_channels", body=body)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["details"][0]["field"] == "target"


def test_unknown_alert_types_are_refused(notify) -> None:
    body = {"kind": "email", "target": "ops@example.com", "alerts": ["payment.late"]}
    answer = api("POST", f"{T}/notification_channels", body=body)
    assert answer.status == 400 and "payment.late" in json.dumps(answer.body)


def test_a_test_alert_reaches_slack_discord_and_email_now(notify, receiver: Receiver) -> None:
    targets = [
        ("slack", receiver.slack_url()),
        ("discord", receiver.discord_url()),
        ("email", "ops@example.com"),
    ]
    for kind, target in targets:
        created = api(
            "POST",
            f"{T}/notification_channels",
            body={"kind": kind, "target": target, "alerts": ["*"]},
        ).body
        answer = api("POST", f"{T}/notification_channels/{created['notification_channel_id']}/test")
        assert answer.status == 200 and answer.body["delivered"] is True, (kind, answer.body)
    [slack] = receiver.calls("/slack/")
    assert "Test alert" in json.loads(slack.body)["text"]
    [discord] = receiver.calls("/discord/")
    assert json.loads(discord.body)["allowed_mentions"] == {"parse": []}
    [mail] = [m for m in sent_emails() if "ops@example.com" in m.destinations["ToAddresses"]]
    assert mail.subject.startswith("[Xero Bridge] Test alert")
    assert "https://console.example.com/settings/notifications" in mail.body


def test_a_test_alert_says_when_the_channel_refused_it(notify, receiver: Receiver) -> None:
    receiver.behave(Behaviour("/slack/", statuses=[410], body="channel_is_archived"))
    body = {"kind": "slack", "target": receiver.slack_url(), "alerts": ["*"]}
    created = api("POST", f"{T}/notification_channels", body=body).body
    answer = api("POST", f"{T}/notification_channels/{created['notification_channel_id']}/test")
    assert answer.status == 200
    assert answer.body["delivered"] is False and answer.body["status_code"] == 410
    assert "channel_is_archived" in answer.body["error"]


def test_secrets_and_channel_urls_never_reach_the_logs(notify, receiver, capsys) -> None:
    url = receiver.slack_url()
    created = api(
        "POST",
        f"{T}/notification_channels",
        body={"kind": "slack", "target": url, "alerts": ["*"]},
    ).body
    receiver.behave(Behaviour("/slack/", statuses=[500], body=f"echo {url}"))
    api("POST", f"{T}/notification_channels/{created['notification_channel_id']}/test")
    endpoint = _endpoint(f"{receiver.url}/hooks/erp")
    output = capsys.readouterr()
    logs = output.out + output.err
    assert url.rsplit("/", 1)[-1] not in logs
    assert endpoint["secret"] not in logs
