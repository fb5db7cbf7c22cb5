"""The local Lambda runtime gives each concurrent request an instance of its own."""

from __future__ import annotations

import sys
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


def test_handlers_flushing_metrics_at_once_never_fail(monkeypatch) -> None:
    # Powertools' metric set is per process; in Lambda one event runs per process, here
    # many run in threads. One handler's flush must not empty what another is publishing.
    from aws_lambda_powertools.metrics import Metrics, MetricUnit

    import devstack.lambda_runtime  # noqa: F401  (guards the shared metric set on import)

    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "LambdaInstancesTest")
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    failures: list[BaseException] = []

    def handler_calls() -> None:
        metrics = Metrics()
        for _ in range(2000):
            try:
                metrics.add_metric(name="XeroCalls", unit=MetricUnit.Count, value=1)
                metrics.flush_metrics()
            except Exception as error:  # the test counts any failure
                failures.append(error)

    try:
        threads = [threading.Thread(target=handler_calls) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
