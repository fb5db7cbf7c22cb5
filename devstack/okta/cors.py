"""CORS as Okta's "Trusted Origins" give it: only for the endpoints a browser app fetches, and
only for the trusted origins. Pages a browser navigates to (/v1/authorize, the sign-in form,
/v1/logout) get no CORS headers at all.

A preflight from a trusted origin for an allowed method and allowed request headers (the ones
okta-auth-js sends: Accept, Content-Type, X-Okta-User-Agent-Extended, Authorization, DPoP) is
answered 200 with the CORS headers; any other preflight gets 403 without them, so the browser
refuses the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask, Request, Response, request

from .directory import AUTH_SERVER_PATH

ALLOWED_REQUEST_HEADERS = frozenset(
    {"accept", "content-type", "x-okta-user-agent-extended", "authorization", "dpop"}
)
# Path (under the issuer) -> the methods a browser may use on it.
CORS_ENDPOINTS: dict[str, tuple[str, ...]] = {
    "/.well-known/openid-configuration": ("GET",),
    "/.well-known/oauth-authorization-server": ("GET",),
    "/v1/keys": ("GET",),
    "/v1/token": ("POST",),
    "/v1/userinfo": ("GET", "POST"),
    "/v1/revoke": ("POST",),
    "/v1/introspect": ("POST",),
}
PREFLIGHT_MAX_AGE = "3600"


def _endpoint_methods(path: str) -> tuple[str, ...] | None:
    if not path.startswith(AUTH_SERVER_PATH + "/"):
        return None
    return CORS_ENDPOINTS.get(path[len(AUTH_SERVER_PATH) :])


def _add_cors(response: Response, origin: str) -> None:
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Credentials"] = "true"
    response.headers["Access-Control-Expose-Headers"] = "WWW-Authenticate"
    response.vary.add("Origin")


def _preflight(req: Request, methods: tuple[str, ...], trusted: set[str]) -> Response:
    origin = req.headers.get("Origin", "")
    method = req.headers.get("Access-Control-Request-Method", "")
    asked = {
        name.strip().lower()
        for name in req.headers.get("Access-Control-Request-Headers", "").split(",")
        if name.strip()
    }
    if origin not in trusted or method not in methods or not asked <= ALLOWED_REQUEST_HEADERS:
        return Response(status=403)
    response = Response(status=200)
    _add_cors(response, origin)
    response.headers["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
    if asked:
        response.headers["Access-Control-Allow-Headers"] = ", ".join(sorted(asked))
    response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def install_cors(app: Flask, trusted_origins: Callable[[], Iterable[str]]) -> None:
    """Answer preflights and add CORS headers on the browser-called endpoints."""

    @app.before_request
    def preflight() -> Response | None:
        methods = _endpoint_methods(request.path)
        if request.method != "OPTIONS" or methods is None:
            return None
        if "Access-Control-Request-Method" not in request.headers:
            return None  # a plain OPTIONS, not a preflight
        return _preflight(request, methods, set(trusted_origins()))

    @app.after_request
    def cors_headers(response: Response) -> Response:
        if request.method == "OPTIONS" or _endpoint_methods(request.path) is None:
            return response
        response.vary.add("Origin")  # the answer differs by origin: caches must know
        origin = request.headers.get("Origin", "")
        if origin and origin in set(trusted_origins()):
            _add_cors(response, origin)
        return response
