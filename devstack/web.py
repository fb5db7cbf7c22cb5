"""The console in the local stack: built when its sources changed, served on DEV_WEB_PORT.

    origins = console_origins(5173)   # ("http://127.0.0.1:5173", "http://localhost:5173")
    console = start_console(5173, logs_dir, api_url=..., okta_issuer=..., client_id=...)

Both origins are the console's (Okta's redirect URIs, its trusted origins and the API's CORS
list all name both): okta-auth-js's hidden-iframe renewal works on 127.0.0.1 only, while
people type localhost.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from devstack.web_build import WebBuild, WebBuildError
from devstack.web_server import WebServer


def console_origins(port: int) -> tuple[str, ...]:
    return (f"http://127.0.0.1:{port}", f"http://localhost:{port}")


@dataclass
class Console:
    url: str | None  # None: the console could not be built (the rest of the stack runs)
    stop: Callable[[], None] | None = None


def start_console(
    port: int, logs_dir: Path, *, api_url: str, okta_issuer: str, client_id: str
) -> Console:
    build = WebBuild()
    try:
        build.ensure(logs_dir / "web-build.log")
    except WebBuildError as exc:
        print(f"warning: the console is not served: {exc}", file=sys.stderr, flush=True)
        return Console(None)
    server = WebServer(
        build.dist, {"apiUrl": api_url, "oktaIssuer": okta_issuer, "oktaClientId": client_id}
    )
    server.start(host="127.0.0.1", port=port)
    # The console's origin is what Okta and the API's CORS admit: localhost, as people type it.
    return Console(f"http://localhost:{port}", server.stop)
