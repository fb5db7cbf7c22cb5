"""The console's static server for `make dev`: web/dist, its /config.json and the SPA fallback.

    server = WebServer(dist, config={"apiUrl": ..., "oktaIssuer": ..., "oktaClientId": ...})
    server.start(host="127.0.0.1", port=5173)   # -> http://127.0.0.1:5173
    server.stop()

Like CloudFront in front of the deployed bucket: a path that is not a file answers index.html
(the console's router takes it from there), `/config.json` is the running stack's settings,
hashed assets are cached for good and index.html never, and every answer carries the same
security headers as the deployed distribution (a CSP that admits the API and the issuer).
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from devstack.sim_kit.serving import LoopbackServer


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(api_url: str, issuer: str) -> str:
    """The console's CSP: its own code only; calls to the API and the Okta issuer, whose page
    okta-auth-js may also load in a hidden iframe to renew a session without a refresh token."""
    api, okta = origin_of(api_url), origin_of(issuer)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",  # the chart library sets inline styles
            "img-src 'self' data: blob:",
            f"connect-src 'self' {api} {okta}",
            f"frame-src {okta}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


class WebApp:
    def __init__(self, dist: Path, config: dict[str, Any]) -> None:
        self.dist = dist.resolve()
        self.config = config
        self.headers = {
            "Content-Security-Policy": content_security_policy(
                str(config["apiUrl"]), str(config["oktaIssuer"])
            ),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "X-Frame-Options": "DENY",
        }

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        response = self.answer(Request(environ))
        response.headers.update(self.headers)
        return response(environ, start_response)

    def answer(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response("method not allowed", 405, content_type="text/plain")
        if request.path == "/config.json":
            return Response(
                json.dumps(self.config),
                content_type="application/json",
                headers={"Cache-Control": "no-store"},
            )
        file = self._file(request.path)
        if file is None:
            if request.path.startswith("/assets/"):
                return Response("not found", 404, content_type="text/plain")
            file = self.dist / "index.html"  # the SPA fallback
        cache = "public, max-age=31536000, immutable" if "/assets/" in request.path else "no-cache"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return Response(file.read_bytes(), content_type=kind, headers={"Cache-Control": cache})

    def _file(self, path: str) -> Path | None:
        candidate = (self.dist / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.dist) or not candidate.is_file():
            return None  # never outside dist (../), and directories fall back
        return candidate


class WebServer:
    def __init__(self, dist: Path, config: dict[str, Any]) -> None:
        self.app = WebApp(dist, config)
        self._server = LoopbackServer()

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        return self._server.start(self.app, host, port)

    def stop(self) -> None:
        self._server.stop()
