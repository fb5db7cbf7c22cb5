"""``python -m devstack.<simulator>``: one simulator on its own, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Callable, Iterable
from typing import Protocol


class Servable(Protocol):
    def start(self, host: str = ..., port: int = ...) -> str: ...

    def stop(self) -> None: ...


def argument_parser(description: str, default_port: int) -> argparse.ArgumentParser:
    """--host and --port; a simulator adds its own settings."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    return parser


def serve_until_stopped(
    simulator: Servable, args: argparse.Namespace, lines: Callable[[str], Iterable[str]]
) -> None:
    """Starts the simulator at args.host:args.port, prints `lines(url)` (flushed: whoever
    started us reads them), then runs until SIGTERM or Ctrl-C and stops it."""
    # The handler goes in before the URL is printed: whoever reads it may stop us at once.
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    url = simulator.start(host=args.host, port=args.port)
    for line in lines(url):
        print(line, flush=True)
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
