"""How an alert reads on each channel: short, with the organisation's name and a link.

Text from Xero or a receiver (a tenant's name, a failure message) is data, so each format
escapes what its channel would take as markup: Slack's `&`, `<`, `>` (which make links and
mentions), Discord's mentions (`allowed_mentions` is empty: no @everyone from an invoice).
"""

from __future__ import annotations

from typing import Any

from xero_bridge.notify.alerts import Alert

DISCORD_LIMIT = 2000
SUBJECT_PREFIX = "[Xero Bridge]"


def link(alert: Alert, console_url: str) -> str | None:
    if not console_url or not alert.link_path:
        return None
    return console_url.rstrip("/") + alert.link_path


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def headline(alert: Alert, tenant_name: str | None) -> str:
    return f"{alert.title} — {tenant_name}" if tenant_name else alert.title


def slack(alert: Alert, tenant_name: str | None, console_url: str) -> dict[str, Any]:
    lines = [f":warning: *{_slack_escape(headline(alert, tenant_name))}*"]
    lines += [_slack_escape(line) for line in alert.lines]
    url = link(alert, console_url)
    if url:
        lines.append(f"<{_slack_escape(url)}|Open in the console>")
    return {"text": "\n".join(lines)}


def discord(alert: Alert, tenant_name: str | None, console_url: str) -> dict[str, Any]:
    lines = [f"⚠️ **{headline(alert, tenant_name)}**", *alert.lines]
    url = link(alert, console_url)
    if url:
        lines.append(f"[Open in the console](<{url}>)")
    content = "\n".join(lines)
    if len(content) > DISCORD_LIMIT:
        content = content[: DISCORD_LIMIT - 1] + "…"
    return {"content": content, "allowed_mentions": {"parse": []}}


def email(alert: Alert, tenant_name: str | None, console_url: str) -> tuple[str, str]:
    """(subject, plain-text body)."""
    subject = f"{SUBJECT_PREFIX} {headline(alert, tenant_name)}"
    lines = [headline(alert, tenant_name), "", *alert.lines]
    url = link(alert, console_url)
    if url:
        lines += ["", f"Open in the console: {url}"]
    lines += ["", "You get this because a notification channel of Xero Bridge names this address."]
    return subject.replace("\n", " ")[:200], "\n".join(lines)
