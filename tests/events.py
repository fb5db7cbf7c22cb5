"""Event builders and a handler loader shared by the unit, integration and e2e tests."""

from __future__ import annotations

from typing import Any

from devstack.events import authorizer_event, http_api_event
from devstack.lambda_runtime import LocalContext, load_handler_module
from devstack.template import ROOT

__all__ = ["LocalContext", "authorizer_event", "call_handler", "http_api_event", "load_function"]


def load_function(name: str) -> Any:
    """The `app` module of functions/<name>/, imported as Lambda would import it."""
    module, _ = load_handler_module(
        ROOT / "functions" / name, "app.lambda_handler", f"lambda_{name}"
    )
    return module


def call_handler(name: str, event: dict[str, Any]) -> Any:
    return load_function(name).lambda_handler(event, LocalContext(function_name=name))
