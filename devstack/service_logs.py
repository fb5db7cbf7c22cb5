"""Where the local stack's services write what they say: a file each under <state>/logs/, so
the console of `make dev` keeps to its interface lines (URLs, settings, `ready`) and the
product's own logs.

moto's server writes a werkzeug request line for every AWS call (the SQS pollers alone make
several a second), the gateway one per HTTP request, the Xero simulator's Flask app a trace
for an error it answers 500 to. Each run of the stack starts its files afresh.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# file name -> the loggers written to it
SERVICE_LOGS: dict[str, tuple[str, ...]] = {
    # werkzeug's request log is moto's alone: the gateway logs through its own logger, and
    # the simulators' servers keep quiet.
    "moto.log": ("werkzeug", "moto"),
    "gateway.log": ("devstack.gateway",),
    "simulators.log": ("xero_simulator",),
}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _PlainFormatter(logging.Formatter):
    """werkzeug colours a status for a terminal; a file gets the plain text."""

    def format(self, record: logging.LogRecord) -> str:
        return _ANSI.sub("", super().format(record))


@dataclass
class _Routed:
    logger: logging.Logger
    handlers: list[logging.Handler]
    level: int
    propagate: bool


def route_service_logs(directory: Path) -> Callable[[], None]:
    """Send the services' loggers to files in `directory`, and only there; returns what
    undoes it."""
    directory.mkdir(parents=True, exist_ok=True)
    routed: list[_Routed] = []
    files: list[logging.Handler] = []
    for file_name, logger_names in SERVICE_LOGS.items():
        handler = logging.FileHandler(directory / file_name, mode="w", encoding="utf-8")
        handler.setFormatter(_PlainFormatter("%(asctime)s %(levelname)s %(message)s"))
        files.append(handler)
        for name in logger_names:
            logger = logging.getLogger(name)
            # werkzeug gives its logger a console handler the first time it logs, if then
            # without one: take that one off too.
            routed.append(_Routed(logger, list(logger.handlers), logger.level, logger.propagate))
            logger.handlers = [handler]
            logger.setLevel(logging.INFO)
            logger.propagate = False  # not also to the root logger's console handler

    def undo() -> None:
        for entry in routed:
            entry.logger.handlers = entry.handlers
            entry.logger.setLevel(entry.level)
            entry.logger.propagate = entry.propagate
        for handler in files:
            handler.close()

    return undo
