"""Which events raise alerts or leave watches, and how alerts read on each channel."""

from __future__ import annotations

from xero_bridge.notify import alert_texts, alerts
from xero_bridge.notify.alerts import Alert


def _event(detail_type: str, detail: dict) -> dict:
    return {
        "source": "xero-bridge",
        "id": "e1",
        "time": "2026-01-01T00:00:00Z",
        "detail-type": detail_type,
        "detail": detail,
    }


def test_what_raises_an_alert_now_and_what_is_watched() -> None:
    raised, watches = alerts.from_event(
        _event("xero.connection.needs_reconnect", {"tenant_ids": ["a", "b"]})
    )
    assert [(a.type, a.tenant_id) for a in raised] == [
        ("connection.needs_reconnect", "a"),
        ("connection.needs_reconnect", "b"),
    ]
    assert watches == []
    raised, watches = alerts.from_event(
        _event("payment.pending_approval", {"tenant_id": "a", "payment_id": "p"})
    )
    assert raised == [] and [(w.payment_id, w.status) for w in watches] == [
        ("p", "pending_approval")
    ]
    raised, watches = alerts.from_event(
        _event("payment.executing", {"tenant_id": "a", "payment_id": "p"})
    )
    assert raised == [] and watches[0].wait_seconds_setting == "payment_stuck_alert_after_seconds"
    for good in ("payment.recorded", "payment.settled_x", "xero.contact.updated"):
        assert alerts.from_event(_event(good, {"tenant_id": "a", "payment_id": "p"})) == ([], [])
    mirror, _ = alerts.from_event(
        _event("mirror.parked", {"tenant_id": "a", "mirror_id": "m", "errors": ["no account 200"]})
    )
    assert mirror[0].lines == ["no account 200"] and mirror[0].key == "mirror.parked:m"


def test_one_alert_key_per_subject() -> None:
    failed = alerts.payment_failed("a", {"payment_id": "p1"})
    assert failed.key == "payment.failed:p1"
    assert alerts.payment_failed("a", {"payment_id": "p2"}).key != failed.key
    waiting = alerts.payment_waiting("a", {"payment_id": "p1"}, "pending_approval", "t")
    assert waiting.type == "payment.approval_overdue"


ALERT = Alert(
    type="payment.failed",
    tenant_id="t1",
    key="k",
    title="Payment failed",
    lines=["<!channel> & @everyone <https://evil.example|click>"],
    link_path="/tenants/t1/payments/p1",
)


def test_slack_text_escapes_what_slack_would_take_as_markup() -> None:
    text = alert_texts.slack(ALERT, "Acme <Ltd>", "https://console.example.com/")["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; @everyone" in text
    assert "Acme &lt;Ltd&gt;" in text
    assert text.endswith("<https://console.example.com/tenants/t1/payments/p1|Open in the console>")


def test_discord_mentions_nobody_and_stays_under_its_limit() -> None:
    payload = alert_texts.discord(ALERT, "Acme", "https://console.example.com")
    assert payload["allowed_mentions"] == {"parse": []}
    long = Alert("x", "t", "k", "T", ["y" * 5000])
    assert len(alert_texts.discord(long, None, "")["content"]) == alert_texts.DISCORD_LIMIT


def test_email_has_a_subject_a_short_body_and_the_link() -> None:
    subject, body = alert_texts.email(ALERT, "Acme", "https://console.example.com")
    assert subject == "[Xero Bridge] Payment failed — Acme"
    assert "https://console.example.com/tenants/t1/payments/p1" in body
    assert alert_texts.email(ALERT, None, "")[1].count("http") == 1  # the line's own text only


def test_a_payment_moved_on_only_when_it_changed_after_its_watch_was_set() -> None:
    from xero_bridge.notify.sweep import moved_since

    since = "2026-01-01T00:00:05Z"  # EventBridge's time: whole seconds, after the move
    assert not moved_since("2026-01-01T00:00:05.400000+00:00", since)  # the move itself
    assert not moved_since("2026-01-01T00:00:04.999+00:00", since)
    assert moved_since("2026-01-01T00:03:00+00:00", since)  # it left and came back
    assert not moved_since("not a time", since)
