"""The discovery documents and the JWKS of the custom authorization server ``default``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response

from .directory import AUTH_SERVER_PATH
from .endpoints import json_response
from .metadata import discovery_document

if TYPE_CHECKING:
    from .issuer import DevOktaIssuer


def create_discovery_blueprint(okta: DevOktaIssuer) -> Blueprint:
    bp = Blueprint("okta_discovery", __name__, url_prefix=AUTH_SERVER_PATH)

    @bp.get("/.well-known/openid-configuration")
    @bp.get("/.well-known/oauth-authorization-server")
    def discovery() -> Response:
        okta.count("discovery")
        return _cacheable(json_response(discovery_document(okta)))

    @bp.get("/v1/keys")
    def keys() -> Response:
        okta.count("jwks")
        if not okta.jwks_available:
            return json_response({"errorCode": "E0000009", "errorSummary": "unavailable"}, 503)
        return _cacheable(json_response(okta.jwks()))

    return bp


def _cacheable(response: Response) -> Response:
    response.headers["Cache-Control"] = "max-age=3600, must-revalidate"
    del response.headers["Pragma"]
    return response
