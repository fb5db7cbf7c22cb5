"""The issuer's HTML: the sign-in form, error pages, and the pages that hand an authorize
response to the app without a redirect (``okta_post_message`` and ``form_post``).

The sign-in form is a plain form (``username``, ``password``, labelled) a script can submit.
It may not be framed (Okta's sign-in page refuses framing unless iframe embedding is allowed);
the post-message page may be framed by the trusted origins, since okta-auth-js loads it in a
hidden iframe for silent renewal.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from flask import Response

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}"
    "label{display:block;margin-top:1rem}input{width:100%;padding:.4rem;box-sizing:border-box}"
    "button{margin-top:1.5rem;padding:.5rem 1.5rem}.error{color:#b00020}"
)
NO_FRAMING = {"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'"}


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _html(text: str, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    response = Response(text, status, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or NO_FRAMING).items():
        response.headers[name] = value
    return response


def sign_in_form(
    action: str, request_id: str, app_name: str, username: str = "", error: str | None = None
) -> Response:
    """The sign-in page; with `error` it is the same form again, status 401."""
    alert = (
        f'<p id="sign-in-error" class="error" role="alert">{html.escape(error)}</p>'
        if error
        else ""
    )
    described = ' aria-describedby="sign-in-error" aria-invalid="true"' if error else ""
    body = (
        f"<h1>Sign in</h1><p>to {html.escape(app_name)} (development Okta)</p>{alert}"
        f'<form method="post" action="{html.escape(action)}">'
        f'<input type="hidden" name="request" value="{html.escape(request_id)}">'
        '<label for="username">Username</label>'
        f'<input id="username" name="username" type="text" autocomplete="username" required'
        f' autofocus value="{html.escape(username)}"{described}>'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password"'
        f" required{described}>"
        '<button type="submit">Sign in</button></form>'
        "<p><small>The demo users and their passwords are printed by <code>make dev</code>."
        "</small></p>"
    )
    return _html(_page("Sign in - development Okta", body), 401 if error else 200)


def error_page(error: str, description: str, status: int = 400) -> Response:
    """What Okta shows when it cannot trust the redirect URI: no redirect, just the error."""
    body = (
        "<h1>Bad request</h1><p>Your request resulted in an error.</p>"
        f"<p>Error Code: <code>{html.escape(error)}</code></p>"
        f"<p>Description: {html.escape(description)}</p>"
    )
    return _html(_page("Error - development Okta", body), status)


def message_page(title: str, text: str) -> Response:
    return _html(
        _page(
            f"{title} - development Okta",
            f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>",
        )
    )


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element (no `</script>` breakout)."""
    text = json.dumps(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def post_message_page(
    redirect_uri: str, params: Mapping[str, str], frame_ancestors: Iterable[str]
) -> Response:
    """``response_mode=okta_post_message``: postMessage the response to the app's origin.

    okta-auth-js listens on the parent window (hidden iframe) or the opener (popup), accepts
    only messages from the issuer's origin whose ``state`` is its own.
    """
    target = origin_of(redirect_uri)
    script = (
        f"(function(){{var data={_script_json(dict(params))};"
        "var to=window.opener||window.parent;"
        f"to.postMessage(data,{_script_json(target)});}})();"
    )
    ancestors = " ".join(sorted(set(frame_ancestors) | {target}))
    headers = {"Content-Security-Policy": f"frame-ancestors {ancestors}"}
    text = _page("Signing in", f"<p>Signing in…</p><script>{script}</script>")
    return _html(text, headers=headers)


def form_post_page(redirect_uri: str, params: Mapping[str, str]) -> Response:
    """``response_mode=form_post``: a form that posts the response to the redirect URI."""
    fields = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in params.items()
    )
    body = (
        f'<form method="post" action="{html.escape(redirect_uri)}">{fields}'
        '<noscript><button type="submit">Continue</button></noscript></form>'
        "<script>document.forms[0].submit();</script>"
    )
    return _html(_page("Signing in", body))
