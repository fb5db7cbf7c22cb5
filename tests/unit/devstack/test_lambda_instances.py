"""The local Lambda runtime gives each concurrent request an instance of its own."""

from __future__ import annotations

import threading
from pathlib import Path

from devstack.lambda_runtime import LocalFunction

HANDLER = """
import threading, time
from echo_routes import CURRENT  # a module beside the handler, as a Powertools router is
arrived = threading.Barrier(2, timeout=1)

def handler(event, context):
    CURRENT["event"] = event  # module-level state, as Powertools' resolver keeps it
    try:
        arrived.wait()  # both requests are inside a handler at once
    except threading.BrokenBarrierError:
        pass  # a second instance has its own barrier: nobody else is coming
    time.sleep(0.05)
    return CURRENT["event"]["path"]
"""


def test_concurrent_requests_never_share_a_handlers_module_state(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(HANDLER)
    (tmp_path / "echo_routes.py").write_text("CURRENT = {}\n")
    function = LocalFunction("Echo", tmp_path, "app.handler", timeout=60)  # a loaded machine
    answers: dict[str, str] = {}

    def call(path: str) -> None:
        answers[path] = function.invoke({"path": path})

    threads = [threading.Thread(target=call, args=(p,)) for p in ("/a", "/b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert answers == {"/a": "/a", "/b": "/b"}
    assert function.invoke({"path": "/c"}) == "/c"  # a free instance takes the next one
