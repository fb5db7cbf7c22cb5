"""The Flask app of the dev issuer and the quiet threaded server it runs on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, Response

from devstack.sim_kit.serving import LoopbackServer

from .authorize import create_authorize_blueprint
from .cors import install_cors
from .discovery import create_discovery_blueprint
from .endpoints import create_token_blueprint, json_response

if TYPE_CHECKING:
    from .issuer import DevOktaIssuer


def build_app(okta: DevOktaIssuer) -> Flask:
    app = Flask("dev_okta")
    app.register_blueprint(create_discovery_blueprint(okta))
    app.register_blueprint(create_authorize_blueprint(okta))
    app.register_blueprint(create_token_blueprint(okta))
    install_cors(app, lambda: okta.console.trusted_origins)
    app.register_error_handler(404, lambda _e: _not_found())
    app.register_error_handler(405, lambda _e: _method_not_allowed())
    return app


def serve(app: Flask, host: str, port: int) -> LoopbackServer:
    server = LoopbackServer("dev-okta")
    server.start(app, host, port)
    return server


def _not_found() -> Response:
    return json_response({"errorCode": "E0000007", "errorSummary": "Not found"}, 404)


def _method_not_allowed() -> Response:
    return json_response(
        {
            "errorCode": "E0000022",
            "errorSummary": "The endpoint does not support the provided HTTP method",
        },
        405,
    )
