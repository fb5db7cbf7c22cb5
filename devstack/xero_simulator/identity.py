"""Xero's identity server: discovery, JWKS, the consent page, token and revocation endpoints."""

from __future__ import annotations

import base64
import html
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, redirect, request

from .context import SimContext
from .grants import GrantError
from .problems import json_response

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def create_identity_blueprint(sim: SimContext) -> Blueprint:
    bp = Blueprint("identity", __name__)

    @bp.get("/.well-known/openid-configuration")
    def discovery() -> Response:
        base = sim.url
        return json_response(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/identity/connect/authorize",
                "token_endpoint": f"{base}/connect/token",
                "revocation_endpoint": f"{base}/connect/revocation",
                "jwks_uri": f"{base}/.well-known/openid-configuration/jwks",
                "userinfo_endpoint": f"{base}/connect/userinfo",
                "grant_types_supported": [
                    "authorization_code",
                    "refresh_token",
                    "client_credentials",
                ],
                "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
            }
        )

    @bp.get("/.well-known/openid-configuration/jwks")
    def jwks() -> Response:
        return json_response(sim.grants.jwks())

    @bp.get("/identity/connect/authorize")
    def authorize_page() -> Response | tuple[str, int]:
        params = request.args
        refused = _refusal_page(sim, params)
        if refused is not None:
            return refused
        return Response(_consent_form(sim, params), content_type="text/html; charset=utf-8")

    @bp.post("/identity/connect/authorize")
    def authorize_submit() -> Any:
        form = request.form
        refused = _refusal_page(sim, form)
        if refused is not None:
            return refused
        redirect_uri, state = form["redirect_uri"], form.get("state", "")
        tenant_ids = [t for t in form.getlist("tenant_ids") if t in sim.store.books]
        if form.get("decision") != "allow" or not tenant_ids:
            return redirect(_with_query(redirect_uri, error="access_denied", state=state))
        code = sim.grants.issue_code(
            client_id=form["client_id"],
            redirect_uri=redirect_uri,
            scope=form.get("scope", ""),
            tenant_ids=tenant_ids,
            code_challenge=form.get("code_challenge") or None,
            nonce=form.get("nonce") or None,
        )
        return redirect(
            _with_query(redirect_uri, code=code, scope=form.get("scope", ""), state=state)
        )

    @bp.post("/connect/token")
    def token() -> Response:
        client = _client_auth(sim)
        if client is None:
            return json_response({"error": "invalid_client"}, 401)
        grant_type = request.form.get("grant_type", "")
        try:
            if grant_type == "authorization_code":
                body = sim.grants.exchange_code(
                    client,
                    request.form.get("code", ""),
                    request.form.get("redirect_uri", ""),
                    request.form.get("code_verifier"),
                )
            elif grant_type == "refresh_token":
                body = sim.grants.refresh(client, request.form.get("refresh_token", ""))
            elif grant_type == "client_credentials":
                body = sim.grants.client_credentials(client, request.form.get("scope", ""))
            else:
                return json_response({"error": "unsupported_grant_type"}, 400)
        except GrantError as exc:
            error: dict[str, Any] = {"error": exc.code}
            if exc.description:
                error["error_description"] = exc.description
            return json_response(error, exc.status)
        response = json_response(body)
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.post("/connect/revocation")
    def revocation() -> Response:
        client = _client_auth(sim)
        if client is None:
            return json_response({"error": "invalid_client"}, 401)
        sim.grants.revoke(client, request.form.get("token", ""))
        return Response(status=200)

    return bp


def _refusal_page(sim: SimContext, params: Any) -> tuple[str, int] | None:
    """Xero's own error page (never a redirect back to the app) for a request it refuses."""
    problem = _check_authorize_params(sim, params)
    if problem:
        return f"<h1>Invalid request</h1><p>{html.escape(problem)}</p>", 400
    scope_problem = sim.grants.consent_problem(params.get("client_id", ""), params.get("scope", ""))
    if scope_problem:
        return (
            "<!doctype html><html><head><title>Xero | Error</title></head><body>"
            "<h1>Sorry, something went wrong</h1><p>Error: invalid_scope</p>"
            f"<p>{html.escape(scope_problem)}</p></body></html>",
            400,
        )
    return None


def _check_authorize_params(sim: SimContext, params: Any) -> str | None:
    if params.get("response_type") != "code":
        return "response_type must be code"
    if params.get("client_id") not in sim.config.clients:
        return "unknown client_id"
    redirect_uri = params.get("redirect_uri", "")
    if not _redirect_allowed(sim, redirect_uri):
        return "redirect_uri is not registered for this app"
    if params.get("code_challenge") and params.get("code_challenge_method", "plain") != "S256":
        return "code_challenge_method must be S256"
    return None


def _redirect_allowed(sim: SimContext, redirect_uri: str) -> bool:
    if sim.config.redirect_uris:
        return redirect_uri in sim.config.redirect_uris
    parts = urlsplit(redirect_uri)
    return parts.scheme in {"http", "https"} and (parts.hostname or "") in LOOPBACK_HOSTS


def _client_auth(sim: SimContext) -> str | None:
    """HTTP Basic (client_secret_basic) or form fields (client_secret_post)."""
    client_id, secret = request.form.get("client_id"), request.form.get("client_secret")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip()).decode("utf-8")
        except ValueError:
            return None
        client_id, _, secret = decoded.partition(":")
    if client_id and secret is not None and sim.config.clients.get(client_id) == secret:
        return client_id
    return None


def _with_query(url: str, **params: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def _consent_form(sim: SimContext, params: Any) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(params.get(name))}">'
        for name in (
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state",
            "code_challenge",
            "code_challenge_method",
            "nonce",
        )
        if params.get(name) is not None
    )
    with sim.store.lock:
        tenants = [(book.tenant_id, book.name) for book in sim.store.books.values()]
    boxes = "".join(
        f'<label><input type="checkbox" name="tenant_ids" value="{tid}"> {html.escape(name)}'
        "</label><br>"
        for tid, name in tenants
    )
    return (
        "<!doctype html><html><head><title>Xero simulator - connect</title></head><body>"
        f"<h1>Allow {html.escape(params.get('client_id', ''))} to access your organisations</h1>"
        f"<p>Scopes: {html.escape(params.get('scope', ''))}</p>"
        f'<form method="post" action="/identity/connect/authorize">{hidden}{boxes}'
        '<button type="submit" name="decision" value="allow">Allow access</button> '
        '<button type="submit" name="decision" value="deny">Cancel</button>'
        "</form></body></html>"
    )
