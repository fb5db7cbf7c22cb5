"""A local API Gateway (HTTP API) for template.yaml: routes, the Lambda authorizer, CORS.

Each request becomes a payload-2.0 event for the function the template names for its route;
protected routes first go through the authorizer exactly as API Gateway does: no identity
source → 401 without calling it, a "no" → 403, a yes → its context at
requestContext.authorizer.lambda, and verdicts cached by identity source for the TTL.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from devstack.events import authorizer_event, http_api_event
from devstack.lambda_runtime import LocalFunction
from devstack.template import Authorizer, Route, SamTemplate


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    pattern: re.Pattern[str]
    specificity: tuple[int, int]


def _compile(route: Route) -> _CompiledRoute:
    regex, literal_segments, params = "", 0, 0
    for segment in route.path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            regex += f"/(?P<{segment[1:-2]}>.+)"
            params += 100  # greedy: least specific
        elif segment.startswith("{") and segment.endswith("}"):
            regex += f"/(?P<{segment[1:-1]}>[^/]+)"
            params += 1
        else:
            regex += "/" + re.escape(segment)
            literal_segments += 1
    return _CompiledRoute(route, re.compile(f"^{regex or '/'}$"), (params, -literal_segments))


def _json_message(status: int, message: str) -> Response:
    return Response(json.dumps({"message": message}), status, content_type="application/json")


class LocalGateway:
    def __init__(
        self,
        template: SamTemplate,
        functions: dict[str, LocalFunction],
        cors_origins: Iterable[str] | None = None,
    ) -> None:
        self.functions = functions
        self.authorizers: dict[str, Authorizer] = template.authorizers()
        self.routes = sorted(
            (_compile(route) for route in template.routes()), key=lambda r: r.specificity
        )
        cors = template.cors()
        # The template's AllowOrigins is `!Ref CorsAllowedOrigins`: the stack passes the value.
        listed = cors.get("AllowOrigins")
        default = (
            listed if isinstance(listed, list) else template.parameter_list("CorsAllowedOrigins")
        )
        self.cors_origins = set(default if cors_origins is None else cors_origins)
        self.cors = cors
        self._auth_cache: dict[tuple[str, ...], tuple[float, dict[str, Any] | None]] = {}
        self._cache_lock = threading.Lock()

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self._cors(request, self.handle(request))
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        if request.method == "OPTIONS" and request.headers.get("Origin") in self.cors_origins:
            return Response(status=204)
        match = self._match(request.method, request.path)
        if match is None:
            return _json_message(404, "Not Found")
        route, path_parameters = match
        headers = {key.lower(): value for key, value in request.headers.items()}
        event = http_api_event(
            request.method,
            request.path,
            route_key=route.route_key,
            path_parameters=path_parameters or None,
            query=request.query_string.decode("latin-1"),
            headers=headers,
            body=request.get_data(),
            source_ip=request.remote_addr or "127.0.0.1",
        )
        if route.authorizer:
            denied = self._authorize(self.authorizers[route.authorizer], event)
            if denied is not None:
                return denied
        try:
            result = self.functions[route.function_id].invoke(event)
        except Exception:  # what Lambda does when a handler raises: API Gateway says 500
            # Lambda writes the traceback to the function's log; so does the local stack.
            traceback.print_exc()
            return _json_message(500, "Internal Server Error")
        return self._to_http(result)

    # ------------------------------------------------------------------ routing
    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for compiled in self.routes:
            if compiled.route.method not in (method.upper(), "ANY"):
                continue
            found = compiled.pattern.match(path)
            if found:
                return compiled.route, found.groupdict()
        return None

    # ------------------------------------------------------------------ authorizer
    def _authorize(self, authorizer: Authorizer, event: dict[str, Any]) -> Response | None:
        identity = [event["headers"].get(name, "") for name in authorizer.identity_headers]
        if any(not value for value in identity):
            return _json_message(401, "Unauthorized")
        context_values = [
            str(event["requestContext"].get(name, "")) for name in authorizer.identity_context
        ]
        cache_key = (authorizer.name, *identity, *context_values)
        now = time.monotonic()
        with self._cache_lock:
            cached = self._auth_cache.get(cache_key)
        if cached and cached[0] > now:
            context = cached[1]
        else:
            try:
                result = self.functions[authorizer.function_id].invoke(
                    authorizer_event(event, identity + context_values)
                )
            except Exception:
                traceback.print_exc()
                return _json_message(500, "Internal Server Error")
            allowed = isinstance(result, dict) and result.get("isAuthorized") is True
            context = (result.get("context") or {}) if allowed else None
            if authorizer.ttl_seconds:
                with self._cache_lock:
                    self._auth_cache[cache_key] = (now + authorizer.ttl_seconds, context)
        if context is None:
            return _json_message(403, "Forbidden")
        event["requestContext"]["authorizer"] = {"lambda": context}
        return None

    # ------------------------------------------------------------------ responses
    @staticmethod
    def _to_http(result: Any) -> Response:
        if not (isinstance(result, dict) and "statusCode" in result):
            # API Gateway's inference for payload 2.0: anything else is a 200 JSON body.
            body = result if isinstance(result, str) else json.dumps(result)
            return Response(body, 200, content_type="application/json")
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        response = Response(data, int(result["statusCode"]))
        response.headers.remove("Content-Type")
        for key, value in (result.get("headers") or {}).items():
            response.headers[key] = str(value)
        for cookie in result.get("cookies") or []:
            response.headers.add("Set-Cookie", cookie)
        return response

    def _cors(self, request: Request, response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin and origin in self.cors_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
            exposed = self.cors.get("ExposeHeaders") or []
            if exposed and request.method != "OPTIONS":
                response.headers["Access-Control-Expose-Headers"] = ",".join(exposed)
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = ",".join(
                    self.cors.get("AllowMethods", [])
                )
                response.headers["Access-Control-Allow-Headers"] = ",".join(
                    self.cors.get("AllowHeaders", [])
                )
                response.headers["Access-Control-Max-Age"] = str(self.cors.get("MaxAge", 0))
        return response


_request_log = logging.getLogger("devstack.gateway")


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's request line, on the gateway's own logger rather than werkzeug's (moto's)."""

    def log(self, type: str, message: str, *args: Any) -> None:
        address = self.address_string().replace("%", "%%")  # as werkzeug: args are formatted
        getattr(_request_log, type)(
            f"{address} - - [{self.log_date_time_string()}] {message}", *args
        )


class GatewayServer:
    """The gateway on a loopback port, in a background thread."""

    def __init__(self, gateway: LocalGateway, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server: BaseWSGIServer = make_server(
            host, port, gateway, threaded=True, request_handler=_RequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
