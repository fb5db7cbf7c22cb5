"""The local stack's receiver: what the business's own systems, Slack and Discord would be.

It records every call it gets and answers as the real receiver does, so a delivery or an
alert can be seen end to end without the internet:

- `POST /hooks/<name>`: a webhook endpoint of the business (any name): 200 `{"received":
  true}` unless told otherwise.
- `POST /slack/services/<team>/<bot>/<token>`: a Slack incoming webhook. 200 `ok` (text)
  for a JSON object with `text` or `blocks`; 400 `invalid_payload` for a body that is not
  a JSON object, 400 `no_text` for one with neither; 404 `no_service` for another path.
- `POST /discord/api/webhooks/<id>/<token>`: a Discord webhook. 204 (200 with the message
  under `?wait=true`); 400 `{"code": 50006, "message": "Cannot send an empty message"}`
  without `content` or `embeds`; 400 `{"code": 50035, "message": "Invalid Form Body"}` for
  content over 2000 characters; 401 `{"code": 50027, …}` for a token that is not one.

Control (tests, and people trying things with `make dev`):

- `GET /_receiver/calls?path=<prefix>`: what was received (method, path, headers, body).
- `DELETE /_receiver/calls`: forget it.
- `POST /_receiver/behaviour {path_prefix, statuses?, delay_seconds?, body?, headers?,
  times?}`: answer the next calls under `path_prefix` with `statuses` (one per call, then
  back to normal), after `delay_seconds` (every call until cleared, or the next `times`
  calls); `DELETE /_receiver/behaviour`.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import Flask, Response, request

from devstack.sim_kit.serving import LoopbackServer

DISCORD_CONTENT_LIMIT = 2000
_SLACK_PATH = re.compile(r"^/slack/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+$")
_DISCORD_PATH = re.compile(r"^/discord/api/webhooks/(\d+)/([A-Za-z0-9_-]{8,})$")


@dataclass
class Call:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    received_at: float
    answered: int = 0


@dataclass
class Behaviour:
    path_prefix: str
    statuses: list[int] = field(default_factory=list)
    delay_seconds: float = 0.0
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # the calls it applies to (None: until cleared)


class Receiver:
    """Records calls; answers as a webhook endpoint, Slack or Discord would."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._behaviours: list[Behaviour] = []
        self._server = LoopbackServer("receiver")
        self.url = "http://127.0.0.1"
        self.app = self._build_app()

    # ------------------------------------------------------------------ for tests
    def calls(self, path_prefix: str = "") -> list[Call]:
        with self._lock:
            return [c for c in self._calls if c.path.startswith(path_prefix)]

    def behave(self, behaviour: Behaviour) -> None:
        with self._lock:
            self._behaviours.append(behaviour)

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._behaviours.clear()

    def slack_url(self, channel: str = "ALERTS") -> str:
        return f"{self.url}/slack/services/T0DEMO/B{channel}/{uuid.uuid4().hex}"

    def discord_url(self) -> str:
        return f"{self.url}/discord/api/webhooks/1234567890/{uuid.uuid4().hex}"

    # ------------------------------------------------------------------ the app
    def _build_app(self) -> Flask:
        app = Flask("receiver")
        app.add_url_rule("/_receiver/calls", "calls", self._list_calls, methods=["GET"])
        app.add_url_rule("/_receiver/calls", "forget", self._forget, methods=["DELETE"])
        app.add_url_rule("/_receiver/behaviour", "behave", self._behave, methods=["POST"])
        app.add_url_rule("/_receiver/behaviour", "normal", self._normal, methods=["DELETE"])
        app.add_url_rule("/<path:path>", "receive", self._receive, methods=["POST"])
        return app

    def _list_calls(self) -> Response:
        calls = [asdict(c) for c in self.calls(request.args.get("path", ""))]
        return _json({"calls": calls})

    def _forget(self) -> Response:
        with self._lock:
            self._calls.clear()
        return Response(status=204)

    def _behave(self) -> Response:
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("path_prefix"), str):
            return _json({"error": "path_prefix is required"}, 400)
        try:
            behaviour = Behaviour(
                path_prefix=data["path_prefix"],
                statuses=[int(s) for s in data.get("statuses") or []],
                delay_seconds=float(data.get("delay_seconds") or 0),
                body=data.get("body"),
                headers={str(k): str(v) for k, v in (data.get("headers") or {}).items()},
                times=None if data.get("times") is None else int(data["times"]),
            )
        except (TypeError, ValueError) as exc:
            return _json({"error": str(exc)}, 400)
        self.behave(behaviour)
        return _json(asdict(behaviour), 201)

    def _normal(self) -> Response:
        with self._lock:
            self._behaviours.clear()
        return Response(status=204)

    def _scripted(self, path: str) -> tuple[int | None, Behaviour | None, float]:
        """The scripted status for this call (if any), its behaviour, and the delay."""
        with self._lock:
            delay = 0.0
            for behaviour in self._behaviours:
                if not path.startswith(behaviour.path_prefix) or behaviour.times == 0:
                    continue
                if behaviour.times is not None:
                    behaviour.times -= 1
                delay = max(delay, behaviour.delay_seconds)
                if behaviour.statuses:
                    return behaviour.statuses.pop(0), behaviour, delay
            return None, None, delay

    def _receive(self, path: str) -> Response:
        path = "/" + path
        call = Call(
            method=request.method,
            path=path,
            query=request.query_string.decode("latin-1"),
            headers={k: v for k, v in request.headers.items()},
            body=request.get_data(as_text=True),
            received_at=time.time(),
        )
        with self._lock:
            self._calls.append(call)
        status, behaviour, delay = self._scripted(path)
        if delay:
            time.sleep(delay)
        if status is not None and behaviour is not None:
            answer = Response(behaviour.body or "", status=status, headers=behaviour.headers)
        elif path.startswith("/slack/"):
            answer = _slack(path, call.body)
        elif path.startswith("/discord/"):
            answer = _discord(path, call.body, request.args.get("wait") == "true")
        elif path.startswith("/hooks/"):
            answer = _json({"received": True})
        else:
            answer = _json({"error": "not a receiver path"}, 404)
        call.answered = answer.status_code
        return answer

    # ------------------------------------------------------------------ lifecycle
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.url = self._server.start(self.app, host, port)
        return self.url

    def stop(self) -> None:
        self._server.stop()


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


def _text(text: str, status: int) -> Response:
    return Response(text, status=status, content_type="text/html")  # as Slack answers


def _body_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _slack(path: str, text: str) -> Response:
    if not _SLACK_PATH.match(path):
        return _text("no_service", 404)
    data = _body_object(text)
    if data is None:
        return _text("invalid_payload", 400)
    if not data.get("text") and not data.get("blocks"):
        return _text("no_text", 400)
    return _text("ok", 200)


def _discord(path: str, text: str, wait: bool) -> Response:
    found = _DISCORD_PATH.match(path)
    if not found:
        return _json({"message": "Invalid Webhook Token", "code": 50027}, 401)
    data = _body_object(text)
    if data is None:
        return _json({"message": "Cannot send an empty message", "code": 50006}, 400)
    content = data.get("content") or ""
    if not content and not data.get("embeds"):
        return _json({"message": "Cannot send an empty message", "code": 50006}, 400)
    if len(content) > DISCORD_CONTENT_LIMIT:
        errors = {
            "content": {
                "_errors": [
                    {
                        "code": "BASE_TYPE_MAX_LENGTH",
                        "message": f"Must be {DISCORD_CONTENT_LIMIT} or fewer in length.",
                    }
                ]
            }
        }
        return _json({"message": "Invalid Form Body", "code": 50035, "errors": errors}, 400)
    if not wait:
        return Response(status=204)
    message = {"id": str(uuid.uuid4().int >> 64), "webhook_id": found.group(1), "content": content}
    return _json(message)
