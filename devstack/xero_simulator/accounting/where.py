"""A parser for the common subset of Xero's ``where`` filter.

Supported: ``Field == literal`` (also ``!= > < >= <=``), dotted fields (``Contact.ContactID``),
``&&``/``AND``, ``||``/``OR``, parentheses, ``.Contains("x")``, ``.StartsWith("x")``,
``.EndsWith("x")``, ``.ToLower()``/``.ToUpper()``, and the literals ``"text"``, numbers,
``true``/``false``/``null``, ``guid("...")`` and ``DateTime(2024,01,31)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|>=|<=|&&|\|\||[<>()!,.])'
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"
)
_STRING_METHODS = {"Contains", "StartsWith", "EndsWith"}


class WhereError(ValueError):
    pass


class _Guid(str):
    """A guid("...") literal: compared without regard to case."""


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise WhereError(f"cannot parse where near {text[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise WhereError(f"expected {value or 'more'} in where clause")
        self.pos += 1
        return token

    def parse(self) -> Predicate:
        predicate = self.or_expr()
        if self.peek() is not None:
            raise WhereError(f"unexpected {self.peek()[1]!r} in where clause")  # type: ignore[index]
        return predicate

    def or_expr(self) -> Predicate:
        return self._joined(self.and_expr, ("||", "OR"), any)

    def and_expr(self) -> Predicate:
        return self._joined(self.unary, ("&&", "AND"), all)

    def _joined(
        self,
        operand: Callable[[], Predicate],
        operators: tuple[str, str],
        combine: Callable[[Any], bool],
    ) -> Predicate:
        """``operand (op operand)*`` with op in ``operators`` (a symbol and a word, any case)."""
        parts = [operand()]
        while (t := self.peek()) and t[1].upper() in operators:
            self.take()
            parts.append(operand())
        return parts[0] if len(parts) == 1 else lambda r: combine(p(r) for p in parts)

    def unary(self) -> Predicate:
        token = self.peek()
        if token and token[1] == "!":
            self.take()
            inner = self.unary()
            return lambda r: not inner(r)
        if token and token[1] == "(":
            self.take("(")
            inner = self.or_expr()
            self.take(")")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        kind, name = self.take()
        if kind != "name":
            raise WhereError(f"expected a field name, got {name!r}")
        path = [name]
        transforms: list[Callable[[Any], Any]] = []
        method: tuple[str, Any] | None = None
        while (t := self.peek()) and t[1] == ".":
            self.take(".")
            _, member = self.take()
            if (n := self.peek()) and n[1] == "(":
                self.take("(")
                if member in ("ToLower", "ToUpper"):
                    self.take(")")
                    transforms.append(str.lower if member == "ToLower" else str.upper)
                elif member in _STRING_METHODS:
                    argument = self.literal()
                    self.take(")")
                    method = (member, argument)
                else:
                    raise WhereError(f"unsupported method {member}")
            else:
                path.append(member)

        def value_of(record: dict[str, Any]) -> Any:
            value: Any = record
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            for transform in transforms:
                value = transform(value) if isinstance(value, str) else value
            return value

        if method is not None:
            name_, argument = method
            test = {
                "Contains": str.__contains__,
                "StartsWith": str.startswith,
                "EndsWith": str.endswith,
            }[name_]
            base: Predicate = lambda r: isinstance(v := value_of(r), str) and test(v, argument)  # noqa: E731
        else:
            base = lambda r: value_of(r) is True  # noqa: E731
        token = self.peek()
        if token is None or token[1] not in ("==", "!=", ">", "<", ">=", "<="):
            return base
        op = self.take()[1]
        literal = self.literal()
        if method is not None:
            expected = literal
            return lambda r: base(r) == expected if op == "==" else base(r) != expected
        return lambda r: _compare(value_of(r), op, literal)

    def literal(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return bytes(text[1:-1], "utf-8").decode("unicode_escape")
        if kind == "num":
            return Decimal(text)
        if kind == "name":
            lowered = text.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            if lowered == "null":
                return None
            if lowered == "guid":
                self.take("(")
                value = self.literal()
                self.take(")")
                return _Guid(str(value).lower())
            if text == "DateTime":
                self.take("(")
                parts = [self.literal()]
                while self.peek() and self.peek()[1] == ",":  # type: ignore[index]
                    self.take(",")
                    parts.append(self.literal())
                self.take(")")
                return date(*(int(p) for p in parts[:3]))
        raise WhereError(f"unsupported literal {text!r}")


def _compare(value: Any, op: str, literal: Any) -> bool:
    if isinstance(literal, _Guid) and isinstance(value, str):
        value = value.lower()
    if isinstance(literal, date) and isinstance(value, datetime):
        value = value.date()
    if (
        isinstance(literal, Decimal)
        and isinstance(value, int | Decimal)
        and not isinstance(value, bool)
    ):
        value = Decimal(value)
    if op == "==":
        return value == literal
    if op == "!=":
        return value != literal
    if value is None or literal is None:
        return False
    try:
        return {
            ">": value > literal,
            "<": value < literal,
            ">=": value >= literal,
            "<=": value <= literal,
        }[op]
    except TypeError:
        return False


def parse_where(text: str) -> Predicate:
    return _Parser(text).parse()
