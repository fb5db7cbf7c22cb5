"""The endpoints okta-auth-js calls with fetch: ``/v1/token``, ``/v1/userinfo``,
``/v1/revoke`` and ``/v1/introspect`` (all under the issuer, all CORS for trusted origins).

Client authentication is Okta's for a public client: ``client_id`` in the form, or HTTP Basic
with the client id alone (okta-auth-js sends ``Basic base64(clientId)`` to revoke and
introspect); a secret is refused, since the console has none.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from .directory import AUTH_SERVER_PATH, ConsoleClient, demo_user, display_name, user_id
from .grants import Family, OAuthError
from .tokens import IdTokenGrant

if TYPE_CHECKING:
    from .issuer import DevOktaIssuer

CLIENT_AUTH_FAILED = (
    "Client authentication failed. Either the client or the client credentials are invalid."
)
GRANT_TYPES = "[authorization_code, refresh_token]"
USERINFO_SCOPES = "profile, email, address or phone"


def json_response(body: Any, status: int = 200) -> Response:
    response = Response(json.dumps(body), status, content_type="application/json")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _form_encoded() -> bool:
    return request.mimetype == "application/x-www-form-urlencoded"


def authenticated_client(okta: DevOktaIssuer) -> ConsoleClient:
    """The public client a request names (form ``client_id`` or Basic with the id alone)."""
    client_id = request.form.get("client_id", "")
    header = request.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client", CLIENT_AUTH_FAILED, 401) from None
        basic_id, _, secret = decoded.partition(":")
        if client_id and client_id != basic_id:
            raise OAuthError(
                "invalid_request",
                "Cannot supply multiple client credentials. Use one of the following:"
                " credentials in the Authorization header, credentials in the post body,"
                " or a client_assertion in the post body.",
            )
        if secret:
            raise OAuthError("invalid_client", CLIENT_AUTH_FAILED, 401)
        client_id = basic_id
    client = okta.client(client_id)
    if client is None or request.form.get("client_secret"):
        raise OAuthError("invalid_client", CLIENT_AUTH_FAILED, 401)
    return client


def issue_tokens(
    okta: DevOktaIssuer,
    client_id: str,
    login: str,
    scopes: Sequence[str],
    auth_time: float,
    nonce: str | None = None,
    family: Family | None = None,
) -> dict[str, Any]:
    """Okta's token response: the access token, and ID and refresh tokens when in scope."""
    demo = demo_user(login)
    groups = demo.groups if demo else ()
    ttl = okta.lifetimes.access_token
    claims = okta.minter.access_claims(okta.issuer, login, scopes, groups, client_id, ttl)
    access_token = okta.minter.sign(claims)
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "expires_in": ttl,
        "access_token": access_token,
        "scope": " ".join(scopes),
    }
    if "offline_access" in scopes:
        family = family or okta.grants.start_family(client_id, login, scopes, auth_time)
        okta.grants.record_access(family, claims["jti"])
        body["refresh_token"] = okta.grants.issue_refresh(family)
    if "openid" in scopes:
        grant = IdTokenGrant(client_id, tuple(scopes), tuple(groups), auth_time, nonce)
        id_claims = okta.minter.id_token_claims(
            okta.issuer, login, grant, access_token, okta.lifetimes.id_token
        )
        body["id_token"] = okta.minter.sign(id_claims)
    return body


def _required(name: str, description: str | None = None) -> str:
    value = request.form.get(name, "")
    if not value:
        raise OAuthError(
            "invalid_request",
            description or f"The request is missing a required parameter: '{name}'.",
        )
    return value


def _token(okta: DevOktaIssuer) -> dict[str, Any]:
    if not _form_encoded():
        raise OAuthError(
            "invalid_request", "The request body must be application/x-www-form-urlencoded."
        )
    client = authenticated_client(okta)
    grant_type = request.form.get("grant_type", "")
    if grant_type == "authorization_code":
        code = _required("code")
        redirect_uri = _required("redirect_uri")
        verifier = _required(
            "code_verifier",
            "PKCE code verifier is required when the token endpoint authentication method"
            " is 'NONE'.",
        )
        grant = okta.grants.redeem_code(client.client_id, code, redirect_uri, verifier)
        return issue_tokens(
            okta,
            client.client_id,
            grant.login,
            grant.scopes,
            grant.auth_time,
            nonce=grant.request.nonce,
        )
    if grant_type == "refresh_token":
        token = _required("refresh_token")
        requested = request.form.get("scope")
        wanted = tuple(dict.fromkeys(requested.split())) if requested else None
        family, scopes = okta.grants.use_refresh(client.client_id, token, wanted)
        return issue_tokens(
            okta, client.client_id, family.login, scopes, family.auth_time, family=family
        )
    if not grant_type:
        raise OAuthError(
            "invalid_request", f"The token request must specify a grant_type: {GRANT_TYPES}."
        )
    raise OAuthError(
        "unsupported_grant_type",
        "The authorization grant type is not supported by the authorization server."
        f" Configured grant types: {GRANT_TYPES}.",
    )


def _access_claims(okta: DevOktaIssuer, token: str) -> dict[str, Any] | None:
    """A live access token of this issuer: signed, for our audience, unexpired, unrevoked."""
    claims = okta.minter.verify(token, okta.issuer, okta.audience)
    if claims is None or okta.grants.is_revoked(str(claims.get("jti", ""))):
        return None
    return claims


def _introspection(okta: DevOktaIssuer, token: str) -> dict[str, Any]:
    claims = _access_claims(okta, token)
    if claims is not None:
        return {
            "active": True,
            "scope": " ".join(claims.get("scp", [])),
            "username": claims["sub"],
            "exp": claims["exp"],
            "iat": claims["iat"],
            "sub": claims["sub"],
            "aud": claims["aud"],
            "iss": claims["iss"],
            "jti": claims["jti"],
            "token_type": "Bearer",
            "client_id": claims.get("cid"),
            "uid": claims.get("uid"),
        }
    record = okta.grants.refresh_record(token)
    if record is not None:
        family = record.family
        return {
            "active": True,
            "token_type": "Bearer",
            "scope": " ".join(family.scopes),
            "client_id": family.client_id,
            "username": family.login,
            "iat": int(record.issued_at),
            "exp": int(record.expires_at),
            "sub": family.login,
            "aud": okta.audience,
            "iss": okta.issuer,
            "uid": user_id(family.login),
        }
    return {"active": False}


def _www_authenticate(okta: DevOktaIssuer, error: str, description: str) -> str:
    return (
        f'Bearer authorization_uri="{okta.issuer}/v1/authorize", realm="{okta.issuer}",'
        f' scope="openid", error="{error}", error_description="{description}",'
        f' resource="{AUTH_SERVER_PATH}/v1/userinfo"'
    )


def _userinfo(okta: DevOktaIssuer) -> Response:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        response = Response(status=401)
        response.headers["WWW-Authenticate"] = _www_authenticate(
            okta, "invalid_request", "The access token is missing."
        )
        return response
    claims = _access_claims(okta, token.strip())
    if claims is None:
        response = Response(status=401)
        response.headers["WWW-Authenticate"] = _www_authenticate(
            okta, "invalid_token", "The access token is invalid."
        )
        return response
    scopes = set(claims.get("scp", []))
    if "openid" not in scopes:
        response = Response(status=403)
        response.headers["WWW-Authenticate"] = _www_authenticate(
            okta,
            "insufficient_scope",
            f"The access token must provide access to at least one of these scopes -"
            f" {USERINFO_SCOPES}",
        )
        return response
    return json_response(_user_claims(str(claims["sub"]), scopes, claims.get("groups", [])))


def _user_claims(login: str, scopes: set[str], groups: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {"sub": user_id(login)}
    if "profile" in scopes:
        name = display_name(login)
        given, _, family = name.partition(" ")
        body.update(
            name=name,
            given_name=given,
            family_name=family,
            preferred_username=login,
            zoneinfo="America/Los_Angeles",
            locale="en_US",
        )
    if "email" in scopes:
        body.update(email=login, email_verified=True)
    body["groups"] = list(groups)
    return body


def create_token_blueprint(okta: DevOktaIssuer) -> Blueprint:
    bp = Blueprint("okta_tokens", __name__, url_prefix=AUTH_SERVER_PATH)

    @bp.errorhandler(OAuthError)
    def oauth_error(exc: OAuthError) -> Response:
        return json_response(exc.body(), exc.status)

    @bp.post("/v1/token")
    def token() -> Response:
        return json_response(_token(okta))

    @bp.route("/v1/userinfo", methods=["GET", "POST"])
    def userinfo() -> Response:
        return _userinfo(okta)

    @bp.post("/v1/revoke")
    def revoke() -> Response:
        client = authenticated_client(okta)
        token = _required("token")
        hint = request.form.get("token_type_hint", "")
        if hint and hint not in ("access_token", "refresh_token", "device_secret"):
            raise OAuthError("invalid_request", "Invalid value for 'token_type_hint' parameter.")
        claims = okta.minter.verify(token, okta.issuer, okta.audience, check_expiry=False)
        if claims is not None and claims.get("cid") == client.client_id:
            okta.grants.revoke_access(str(claims["jti"]))
        else:  # a refresh token (or nothing we know: RFC 7009 still answers 200)
            okta.grants.revoke_refresh(token, client.client_id)
        return Response(status=200)

    @bp.post("/v1/introspect")
    def introspect() -> Response:
        authenticated_client(okta)
        return json_response(_introspection(okta, _required("token")))

    return bp
