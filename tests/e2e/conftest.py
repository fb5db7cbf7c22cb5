"""The local stack of `make dev`, started as a person starts it, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 240  # a first start may build the console (make web does it beforehand)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningStack:
    process: subprocess.Popen
    urls: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    output: list[str] = field(default_factory=list)
    state_dir: Path | None = None

    @property
    def api(self) -> str:
        return self.urls["api"]


# Every port `make dev` takes from a DEV_<NAME>_PORT: free ones, so stacks run side by side.
SERVICES = (
    "API",
    "AWS",
    "XERO",
    "OKTA",
    "OPENAI",
    "WEB",
    "SOLARIS",
    "OKX",
    "GOCARDLESS",
    "SAFERPAY",
    "RECEIVER",
)


def start_stack(state_dir: Path, extra_env: dict[str, str] | None = None) -> RunningStack:
    env = {
        **os.environ,
        **{f"DEV_{name}_PORT": str(_free_port()) for name in SERVICES},
        **(extra_env or {}),
        "DEV_SCHEDULE_SECONDS": os.environ.get("DEV_SCHEDULE_SECONDS", "3"),
        "DEVSTACK_STATE_DIR": str(state_dir),
        "PYTHONPATH": f"{ROOT / 'shared'}{os.pathsep}{ROOT}",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("XERO_CLIENT_ID", "OKTA_ISSUER", "OPENAI_BASE_URL", "AWS_ENDPOINT_URL"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        # The printed interface (URLs, settings, ready) is on stdout; the services' request
        # logs are in <state>/logs/, so stderr holds only what the product itself says there.
        stderr=(state_dir / "devstack.stderr.log").open("w"),
        text=True,
    )
    stack = RunningStack(process, state_dir=state_dir)
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            line = line.rstrip("\n")
            stack.output.append(line)
            if line == "ready":
                ready.set()
            elif line.startswith("  ") and ": " in line:
                name, _, value = line.strip().partition(": ")
                stack.settings[name] = value
            elif ": http" in line and not line.startswith(" "):
                name, _, url = line.partition(": ")
                stack.urls[name] = url
        ready.set()  # the process ended

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while not ready.wait(0.2):
        if time.monotonic() > deadline:
            break
    if "ready" not in stack.output:
        process.kill()
        errors = (state_dir / "devstack.stderr.log").read_text()[-4000:]
        raise RuntimeError(
            "the local stack did not start:\n" + "\n".join(stack.output) + "\n" + errors
        )
    return stack


def stop_stack(stack: RunningStack) -> int:
    stack.process.send_signal(signal.SIGINT)
    try:
        return stack.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        stack.process.kill()
        return -9


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    stack = start_stack(tmp_path_factory.mktemp("devstack"))
    yield stack
    stop_stack(stack)
