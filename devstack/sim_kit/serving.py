"""A WSGI app on a loopback port: werkzeug's threaded server, in a daemon thread, quiet."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # a line per request is noise
        pass


class LoopbackServer:
    """Serves one app until stopped; `start` answers the base URL (``http://host:port``)."""

    def __init__(self, thread_name: str | None = None) -> None:
        self.thread_name = thread_name
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self, app: WsgiApp, host: str = "127.0.0.1", port: int = 0) -> str:
        self._server = make_server(
            host, port, app, threaded=True, request_handler=QuietRequestHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=self.thread_name, daemon=True
        )
        self._thread.start()
        return f"http://{host}:{self.port}"

    @property
    def port(self) -> int:
        """The port it listens on (the one the OS chose for port 0)."""
        if self._server is None:
            raise RuntimeError("not serving")
        return self._server.server_port

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
