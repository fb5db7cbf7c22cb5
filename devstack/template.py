"""Reads template.yaml: its resources, functions, routes and authorizers, and resolves the
few intrinsic functions the template uses against what the local stack created.

Reading the template (instead of a second list of tables and routes) is what keeps the
local stack and the deployed one from drifting apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"


@dataclass(frozen=True)
class Route:
    method: str  # upper-case, or ANY
    path: str  # /tenants/{tenantId}/payments
    function_id: str
    authorizer: str | None  # None: open route

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Authorizer:
    name: str
    function_id: str
    identity_headers: tuple[str, ...]
    identity_context: tuple[str, ...]
    ttl_seconds: int


@dataclass
class Physical:
    """What the local stack created for one logical resource."""

    ref: str
    attributes: dict[str, str] = field(default_factory=dict)


class SamTemplate:
    def __init__(self, path: Path = TEMPLATE_PATH) -> None:
        self.path = path
        self.data: dict[str, Any] = _plain(cfn_yaml.load(str(path)))
        self.resources: dict[str, dict[str, Any]] = self.data.get("Resources", {})
        self.parameters: dict[str, dict[str, Any]] = self.data.get("Parameters", {})

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource
            for logical_id, resource in self.resources.items()
            if resource.get("Type") == resource_type
        }

    def functions(self) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource.get("Properties", {})
            for logical_id, resource in self.of_type("AWS::Serverless::Function").items()
        }

    def function_code(self, function_id: str) -> tuple[Path, str]:
        """(code folder, handler) of a function."""
        properties = self.functions()[function_id]
        return self.path.parent / properties["CodeUri"], properties["Handler"]

    def events(self, function_id: str, event_type: str) -> list[dict[str, Any]]:
        events = self.functions()[function_id].get("Events", {}) or {}
        return [e.get("Properties", {}) for e in events.values() if e.get("Type") == event_type]

    def _http_api(self) -> dict[str, Any]:
        apis = self.of_type("AWS::Serverless::HttpApi")
        if len(apis) != 1:
            raise ValueError("the local gateway expects exactly one AWS::Serverless::HttpApi")
        return next(iter(apis.values())).get("Properties", {})

    def routes(self) -> list[Route]:
        auth = self._http_api().get("Auth", {})
        default = auth.get("DefaultAuthorizer")
        routes = []
        for function_id in self.functions():
            for event in self.events(function_id, "HttpApi"):
                name = (event.get("Auth") or {}).get("Authorizer", default)
                routes.append(
                    Route(
                        method=str(event.get("Method", "ANY")).upper(),
                        path=event["Path"],
                        function_id=function_id,
                        authorizer=None if name in (None, "NONE") else name,
                    )
                )
        return routes

    def authorizers(self) -> dict[str, Authorizer]:
        found = {}
        for name, spec in self._http_api().get("Auth", {}).get("Authorizers", {}).items():
            identity = spec.get("Identity", {})
            function_id = spec["FunctionArn"]["Fn::GetAtt"][0]
            found[name] = Authorizer(
                name=name,
                function_id=function_id,
                identity_headers=tuple(h.lower() for h in identity.get("Headers", [])),
                identity_context=tuple(identity.get("Context", [])),
                ttl_seconds=int(identity.get("ReauthorizeEvery", 300)),
            )
        return found

    def parameter_list(self, name: str) -> list[str]:
        """A CommaDelimitedList parameter's default, as a list."""
        default = self.parameters.get(name, {}).get("Default", "")
        items = default if isinstance(default, list) else str(default).split(",")
        return [item.strip() for item in items if item.strip()]

    def cors(self) -> dict[str, Any]:
        return self._http_api().get("CorsConfiguration", {}) or {}

    def function_environment(
        self,
        function_id: str,
        physical: dict[str, Physical],
        parameters: dict[str, str],
        pseudo: dict[str, str],
    ) -> dict[str, str]:
        """The environment a function gets: Globals' variables overlaid by its own."""
        global_vars = (
            self.data.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables")
            or {}
        )
        own = self.functions()[function_id].get("Environment", {}).get("Variables") or {}
        resolver = Resolver(self, physical, parameters, pseudo)
        return {
            name: str(resolver.resolve(value)) for name, value in {**global_vars, **own}.items()
        }


@dataclass(frozen=True)
class Resolver:
    """Evaluates Ref, Fn::GetAtt, Fn::Sub and Fn::Join for the local stack."""

    template: SamTemplate
    physical: dict[str, Physical]
    parameters: dict[str, str]
    pseudo: dict[str, str]

    def _ref(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.template.parameters:
            default = self.template.parameters[name].get("Default", "")
            return ",".join(default) if isinstance(default, list) else str(default)
        if name in self.physical:
            return self.physical[name].ref
        raise KeyError(f"the local stack cannot resolve Ref {name}")

    def _get_att(self, logical_id: str, attribute: str) -> str:
        try:
            return self.physical[logical_id].attributes[attribute]
        except KeyError:
            raise KeyError(f"the local stack cannot resolve {logical_id}.{attribute}") from None

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Fn::GetAtt":
                logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self._get_att(logical_id, attribute)
            if key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                return re.sub(r"\$\{([^}]+)\}", lambda m: self._sub(m.group(1)), text)
            if key == "Fn::Join":
                separator, items = arg
                if not isinstance(items, list):  # !Join [",", !Ref SomeCommaDelimitedList]
                    resolved = self.resolve(items)
                    items = resolved.split(",") if isinstance(resolved, str) else list(resolved)
                return separator.join(str(self.resolve(item)) for item in items)
        return value

    def _sub(self, name: str) -> str:
        if "." in name:
            logical_id, attribute = name.split(".", 1)
            return self._get_att(logical_id, attribute)
        return self._ref(name)


def _plain(node: Any) -> Any:
    """cfn-lint's node classes as plain dicts and lists."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, str):
        return str(node)
    return node
