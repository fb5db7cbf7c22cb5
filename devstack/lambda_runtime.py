"""Runs a function's handler in this process, the way the Lambda runtime would call it."""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import (
    AmazonCloudWatchEMFProvider,
)


@dataclass
class LocalContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_seconds: int = 15
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"
    _deadline: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:eu-west-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


_load_lock = threading.Lock()
_metrics_lock = threading.RLock()


def _guard_shared_metrics() -> None:
    """Powertools keeps metrics per process (class-level state), which is right in Lambda:
    one event at a time per process. Here many functions run at once in threads, and one
    handler's flush could empty the set between another's "anything to publish?" check and
    its serialising (a SchemaValidationError, i.e. a 500 no Lambda would give). So adding
    and flushing a metric take one lock; which handler's line a count lands on is moot."""
    for name in ("add_metric", "add_metadata", "flush_metrics"):
        unguarded = getattr(AmazonCloudWatchEMFProvider, name)
        if getattr(unguarded, "_guarded", False):
            continue

        def guarded(self: Any, *args: Any, _unguarded: Any = unguarded, **kwargs: Any) -> Any:
            with _metrics_lock:
                return _unguarded(self, *args, **kwargs)

        guarded._guarded = True  # type: ignore[attr-defined]
        setattr(AmazonCloudWatchEMFProvider, name, guarded)


_guard_shared_metrics()


def _own_modules(code_dir: Path) -> dict[str, ModuleType]:
    """The imported modules that live in a function's folder (its routers, helpers)."""
    folder = code_dir.resolve()
    return {
        name: module
        for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None)
        and Path(str(module.__file__)).resolve().is_relative_to(folder)
    }


def load_instance(code_dir: Path, handler: str, unique_name: str) -> tuple[ModuleType, str]:
    """Another instance of a loaded function: its handler module *and* the modules beside it
    (e.g. Powertools routers, which hold the current event) imported afresh, so that no
    state is shared with the first instance; sys.modules keeps the first instance's."""
    with _load_lock:
        first = _own_modules(code_dir)
        for name in first:
            del sys.modules[name]
        try:
            return load_handler_module(code_dir, handler, unique_name, locked=True)
        finally:
            for name in _own_modules(code_dir):
                if name != unique_name:
                    del sys.modules[name]
            sys.modules.update(first)


def load_handler_module(
    code_dir: Path, handler: str, unique_name: str, *, locked: bool = False
) -> tuple[ModuleType, str]:
    """Import `<code_dir>/<module>.py` under a unique name (every function has an app.py).

    As in Lambda, the function's own folder is on sys.path, so a handler may import the
    modules beside it (their names are unique across functions: they share this process).
    """
    module_name, _, function_name = handler.rpartition(".")
    path = code_dir / f"{module_name.replace('.', '/')}.py"
    with contextlib.nullcontext() if locked else _load_lock:
        if str(code_dir) not in sys.path:
            sys.path.append(str(code_dir))
        if unique_name in sys.modules:
            return sys.modules[unique_name], function_name
        spec = importlib.util.spec_from_file_location(unique_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load handler module {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[unique_name]
            raise
    return module, function_name


class LocalFunction:
    """One function of the template, imported lazily on its first invocation (a cold start).

    As in Lambda, an instance handles one event at a time: a handler's module-level state
    (Powertools' resolver keeps the current event there) is never shared by two requests.
    Concurrent requests get instances of their own (another import of the handler module, a
    cold start), and an instance that is free again takes the next request.
    """

    def __init__(self, name: str, code_dir: Path, handler: str, timeout: int = 15) -> None:
        self.name = name
        self.code_dir = code_dir
        self.handler = handler
        self.timeout = timeout
        self._idle: list[ModuleType] = []
        self._instances = 0
        self._lock = threading.Lock()

    def invoke(self, event: dict[str, Any]) -> Any:
        module, function_name = self._acquire()
        try:
            context = LocalContext(function_name=self.name, timeout_seconds=self.timeout)
            return getattr(module, function_name)(event, context)
        finally:
            with self._lock:
                self._idle.append(module)

    def provision(self, instances: int) -> None:
        """Start `instances` instances now, as Lambda's provisioned concurrency does: that
        many requests at once meet no cold start (which would otherwise set them apart)."""
        started = [self._acquire()[0] for _ in range(instances)]
        with self._lock:
            self._idle.extend(started)

    def _acquire(self) -> tuple[ModuleType, str]:
        with self._lock:
            if self._idle:
                return self._idle.pop(), self.handler.rpartition(".")[2]
            self._instances += 1
            number = self._instances
        # The first instance keeps the module name tests and tools know it by.
        if number == 1:
            return load_handler_module(self.code_dir, self.handler, f"lambda_{self.name}")
        return load_instance(self.code_dir, self.handler, f"lambda_{self.name}_{number}")
