"""`make dev`: start the local stack, print `<name>: <url>` lines and `ready`, run until Ctrl-C."""

from __future__ import annotations

import signal
import sys
import threading
import urllib.request

from devstack.stack import LocalStack


def _wait_healthy(api_url: str, attempts: int = 50) -> bool:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=5) as response:
                return response.status == 200
        except OSError:
            threading.Event().wait(0.1)
    return False


def main() -> int:
    stack = LocalStack()
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        urls = stack.start()
    except OSError as exc:
        print(f"error: the local stack could not start: {exc}", file=sys.stderr, flush=True)
        stack.stop()
        return 1
    for name, url in urls.items():
        print(f"{name}: {url}", flush=True)
    for name, value in stack.settings.items():
        print(f"  {name}: {value}", flush=True)
    if not _wait_healthy(urls["api"]):
        print("error: /health did not answer 200", file=sys.stderr, flush=True)
        stack.stop()
        return 1
    print("ready", flush=True)
    stack.start_schedules()
    stopped.wait()
    print("stopping", flush=True)
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
