"""``{issuer}/v1/authorize``, the sign-in form it shows, and ``{issuer}/v1/logout``.

Validation follows Okta: an unknown client or an unregistered redirect URI is an error page
(never a redirect, since the redirect URI cannot be trusted); every other problem goes back
to the app in the requested response mode with ``error``, ``error_description`` and
``state``. With a live session (cookie ``sid``) the code is issued at once (SSO);
``prompt=none`` without one answers ``login_required``; ``prompt=login`` always shows the form.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from flask import Blueprint, redirect, request
from werkzeug.wrappers import Response

from . import pages
from .directory import AUTH_SERVER_PATH
from .grants import AuthorizeRequest, OAuthError, Session

if TYPE_CHECKING:
    from .issuer import DevOktaIssuer

SESSION_COOKIE = "sid"
SIGN_IN_PATH = "/login/signin"
RESPONSE_MODES = ("query", "fragment", "form_post", "okta_post_message")
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")  # base64url of a SHA-256 digest
NOT_LOGGED_IN = "The user is not logged in."
POLICY_FAILED = "Policy evaluation failed for this request, please check the policy configurations."


class PageError(Exception):
    """An authorize error shown as a page, because the redirect URI is not to be trusted."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class Target:
    """Where and how an authorize response goes."""

    redirect_uri: str
    response_mode: str
    state: str


class RedirectedError(Exception):
    def __init__(self, target: Target, error: str, description: str) -> None:
        super().__init__(description)
        self.target = target
        self.oauth = OAuthError(error, description)


def parse_authorize(okta: DevOktaIssuer, args: Mapping[str, str]) -> AuthorizeRequest:
    client = okta.client(args.get("client_id", ""))
    if client is None:
        raise PageError("invalid_client", "Invalid value for 'client_id' parameter.")
    redirect_uri = args.get("redirect_uri", "")
    if redirect_uri not in client.redirect_uris:
        raise PageError(
            "invalid_request",
            "The 'redirect_uri' parameter must be a Login redirect URI in the client app"
            f" settings: {', '.join(client.redirect_uris)}",
        )
    mode = args.get("response_mode") or "query"
    state = args.get("state", "")
    target = Target(redirect_uri, mode if mode in RESPONSE_MODES else "query", state)

    def fail(error: str, description: str) -> RedirectedError:
        return RedirectedError(target, error, description)

    if mode not in RESPONSE_MODES:
        raise fail("unsupported_response_mode", f"The response mode '{mode}' is not supported.")
    if args.get("response_type", "").split() != ["code"]:
        raise fail(
            "unsupported_response_type",
            "The response type is not supported by the authorization server."
            " Configured response types: [code].",
        )
    scopes = tuple(dict.fromkeys(args.get("scope", "").split()))
    if not scopes:
        raise fail("invalid_scope", "The authorization request must include at least one scope.")
    if any(scope not in okta.policy.scopes for scope in scopes):
        raise fail(
            "invalid_scope",
            "One or more scopes are not configured for the authorization server resource.",
        )
    if not state:
        raise fail(
            "invalid_request",
            "The authorization request is missing a required parameter: 'state'.",
        )
    pkce_problem = _pkce_problem(args)
    if pkce_problem is not None:
        raise fail(*pkce_problem)
    prompt = frozenset(args.get("prompt", "").split())
    if not prompt <= {"none", "login", "consent"} or ("none" in prompt and len(prompt) > 1):
        raise fail("invalid_request", "Invalid value for 'prompt' parameter.")
    max_age = args.get("max_age")
    if max_age is not None and not max_age.isdigit():
        raise fail("invalid_request", "Invalid value for 'max_age' parameter.")
    return AuthorizeRequest(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        response_mode=mode,
        scopes=scopes,
        state=state,
        code_challenge=args["code_challenge"],
        nonce=args.get("nonce") or None,
        prompt=prompt,
        login_hint=args.get("login_hint", ""),
        max_age=int(max_age) if max_age is not None else None,
    )


def _pkce_problem(args: Mapping[str, str]) -> tuple[str, str] | None:
    """Okta's answer to a missing or malformed PKCE challenge (public clients need one)."""
    challenge = args.get("code_challenge", "")
    if not challenge:
        return (
            "invalid_request",
            "PKCE code challenge is required when the token endpoint authentication method"
            " is 'NONE'.",
        )
    if args.get("code_challenge_method") != "S256":
        return ("invalid_request", "Invalid value for 'code_challenge_method' parameter.")
    if not _CHALLENGE.fullmatch(challenge):
        return ("invalid_request", "Invalid value for 'code_challenge' parameter.")
    return None


def deliver(okta: DevOktaIssuer, target: Target, params: Mapping[str, str]) -> Response:
    """The authorize response in the request's response mode."""
    values = {name: value for name, value in params.items() if value}
    uri = target.redirect_uri
    if target.response_mode == "okta_post_message":
        return pages.post_message_page(uri, values, okta.console.trusted_origins)
    if target.response_mode == "form_post":
        return pages.form_post_page(uri, values)
    query = urlencode(values)
    location = (
        f"{uri}#{query}"
        if target.response_mode == "fragment"
        else (f"{uri}{'&' if '?' in uri else '?'}{query}")
    )
    response = redirect(location, 302)
    response.headers["Cache-Control"] = "no-store"
    return response


def _target(auth: AuthorizeRequest) -> Target:
    return Target(auth.redirect_uri, auth.response_mode, auth.state)


def _error(okta: DevOktaIssuer, target: Target, error: str, description: str) -> Response:
    params = {"error": error, "error_description": description, "state": target.state}
    return deliver(okta, target, params)


def _session_fits(okta: DevOktaIssuer, session: Session, auth: AuthorizeRequest) -> bool:
    """Whether the Okta session may answer this request without the form (SSO)."""
    if "login" in auth.prompt:
        return False
    return auth.max_age is None or okta.clock.now() - session.auth_time <= auth.max_age


def complete(okta: DevOktaIssuer, auth: AuthorizeRequest, session: Session) -> Response:
    """Issue the code for a signed-in user (the scopes the policy grants them)."""
    scopes = okta.policy.grantable(session.login, auth.scopes)
    if not scopes:
        return _error(okta, _target(auth), "access_denied", POLICY_FAILED)
    code = okta.grants.issue_code(auth, session.login, scopes, session.auth_time)
    return deliver(okta, _target(auth), {"code": code, "state": auth.state})


def create_authorize_blueprint(okta: DevOktaIssuer) -> Blueprint:
    bp = Blueprint("okta_authorize", __name__)

    def form(
        request_id: str, auth: AuthorizeRequest, username: str, error: str | None = None
    ) -> Response:
        client = okta.client(auth.client_id)
        name = client.name if client else auth.client_id
        return pages.sign_in_form(okta.url + SIGN_IN_PATH, request_id, name, username, error)

    @bp.get(f"{AUTH_SERVER_PATH}/v1/authorize")
    def authorize() -> Response:
        try:
            auth = parse_authorize(okta, request.args)
        except PageError as exc:
            return pages.error_page(exc.error, exc.description)
        except RedirectedError as exc:
            return _error(okta, exc.target, exc.oauth.error, exc.oauth.description)
        session = okta.grants.session(request.cookies.get(SESSION_COOKIE))
        if session is not None and _session_fits(okta, session, auth):
            return complete(okta, auth, session)
        if "none" in auth.prompt:
            return _error(okta, _target(auth), "login_required", NOT_LOGGED_IN)
        return form(okta.grants.hold(auth), auth, auth.login_hint)

    @bp.post(SIGN_IN_PATH)
    def sign_in() -> Response:
        request_id = request.form.get("request", "")
        auth = okta.grants.held(request_id)
        if auth is None:
            return pages.error_page(
                "invalid_request",
                "This sign-in request is unknown or has expired. Start again from the app.",
            )
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        found = okta.policy.user(username)
        if (
            found is None
            or not password
            or not hmac.compare_digest(found[1].password.encode(), password.encode())
        ):
            return form(request_id, auth, username, "Unable to sign in")
        okta.grants.release(request_id)
        okta.grants.end_session(request.cookies.get(SESSION_COOKIE))
        session = okta.grants.start_session(found[0])
        response = complete(okta, auth, session)
        response.set_cookie(SESSION_COOKIE, session.id, httponly=True, samesite="Lax", path="/")
        return response

    @bp.get(f"{AUTH_SERVER_PATH}/v1/logout")
    def logout() -> Response:
        return _logout(okta)

    return bp


def _logout(okta: DevOktaIssuer) -> Response:
    """RP-initiated logout: end the Okta session and go back to a registered sign-out URI."""
    hint = request.args.get("id_token_hint", "")
    if not hint:
        return pages.error_page(
            "invalid_request",
            "The logout request is missing a required parameter: 'id_token_hint'.",
        )
    audiences = [okta.console.client_id]
    claims = okta.minter.verify(hint, okta.issuer, audiences, check_expiry=False)
    if claims is None:  # an expired ID token is still a fine hint, as at Okta
        return pages.error_page("invalid_request", "Invalid value for 'id_token_hint' parameter.")
    client = okta.client(str(claims["aud"]))
    post_logout = request.args.get("post_logout_redirect_uri", "")
    if post_logout and (client is None or post_logout not in client.post_logout_redirect_uris):
        return pages.error_page(
            "invalid_request",
            "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the"
            " client app settings.",
        )
    okta.grants.end_session(request.cookies.get(SESSION_COOKIE))
    if post_logout:
        state = request.args.get("state", "")
        location = post_logout + (
            f"{'&' if '?' in post_logout else '?'}{urlencode({'state': state})}" if state else ""
        )
        response: Response = redirect(location, 302)
    else:
        response = pages.message_page("Signed out", "You have been signed out of Okta.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
