"""Rule conditions CEL needs not evaluate: a small subset checked in plain Python.

Comparisons of fields with literals joined by ``&&``, ``||`` and ``!`` (``order.total >=
10000``, ``order.channel == "app"``, ``line.discount == 0 && line.price >= 5000``) are most
of what shops write, and building a CEL context costs far more than the check. A
``native_condition`` gives CEL's result for every value it accepts; for any other value
(a number outside int64, a float, a list, a string CEL cannot take, a type mix-up that
makes CEL raise) it raises ``Unsure`` and the caller evaluates the expression with CEL.

The subset (anything else is left to CEL): ``(`` ``)``, ``!``, ``&&``, ``||``, one of
``== != < <= > >=`` between operands; operands are the fields a caller provides getters
for, decimal int literals, string literals without escapes, ``true``, ``false``, ``null``.
Values: int within int64, str, bool and null. Equality of equal types is Python's, null
equals only null; ordering is of two ints or two strings (CEL orders strings by UTF-8
bytes, which is code-point order, as Python does); anything else is ``Unsure``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

#: A field's value for the two inputs of a condition (occurrence and line in the engine).
Getter = Callable[[Any, Any], Any]
Check = Callable[[Any, Any], bool]
_Operand = Callable[[Any, Any], Any]

INT_MAX = 2**63 - 1
INT_MIN = -(2**63)
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_RELATE = {**_ORDER, "==": operator.eq, "!=": operator.ne}
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_SPACE = re.compile(r"[ \t\r\n\f]*")
_TOKEN = re.compile(
    r"(?P<int>-?(?:0|[1-9][0-9]*))(?![A-Za-z0-9_.])"  # not 1u, 1.5, 1e3, 0x1
    r"|(?P<str>\"[^\"\\\r\n]*\"|'[^'\\\r\n]*')"  # no escapes, not raw, not triple
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:[ \t\r\n\f]*\.[ \t\r\n\f]*[A-Za-z_][A-Za-z0-9_]*)?)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[<>!()])"
)
_LITERALS: dict[str, object] = {"true": True, "false": False, "null": None}


class Unsure(Exception):
    """The plain-Python check cannot vouch for CEL's result on these values."""


def native_condition(source: str, getters: Mapping[str, Getter]) -> Check | None:
    """A function giving CEL's result of ``source`` (which compiles in CEL), or raising
    ``Unsure``; None when the expression is outside the subset. ``getters`` maps
    ``"order.total"`` etc. to the field's value."""
    tokens = _tokens(source)
    if tokens is None:
        return None
    parser = _Parser(tokens, getters)
    node = parser.expression()
    if node is None or parser.position != len(tokens):
        return None
    return _boolean(node)


_Token = tuple[str, object]  # ("lit" | "name" | "op", the value, name or operator)


def _tokens(source: str) -> list[_Token] | None:
    """The tokens of ``source``, or None at the first text outside the subset."""
    tokens: list[_Token] = []
    position, end = 0, len(source)
    while True:
        position = _SPACE.match(source, position).end()  # type: ignore[union-attr]
        if position == end:
            return tokens
        found = _TOKEN.match(source, position)
        if found is None:
            return None
        kind = found.lastgroup
        text = found.group()
        if kind == "int":
            value = int(text)
            if not -INT_MAX <= value <= INT_MAX:
                return None
            tokens.append(("lit", value))
        elif kind == "str":
            tokens.append(("lit", text[1:-1]))
        elif kind == "name":
            name = re.sub(r"[ \t\r\n\f]", "", text)
            tokens.append(("lit", _LITERALS[name]) if name in _LITERALS else ("name", name))
        else:
            tokens.append(("op", text))
        position = found.end()


class _Parser:
    """Recursive descent with CEL's precedence: ``||`` < ``&&`` < relations < ``!``."""

    def __init__(self, tokens: list[_Token], getters: Mapping[str, Getter]) -> None:
        self.tokens = tokens
        self.getters = getters
        self.position = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self, op: str) -> bool:
        if self._peek() == ("op", op):
            self.position += 1
            return True
        return False

    def expression(self) -> _Node | None:
        left = self._conjunction()
        while left is not None and self._take("||"):
            right = self._conjunction()
            left = None if right is None else _Node("or", (left, right))
        return left

    def _conjunction(self) -> _Node | None:
        left = self._relation()
        while left is not None and self._take("&&"):
            right = self._relation()
            left = None if right is None else _Node("and", (left, right))
        return left

    def _relation(self) -> _Node | None:
        left = self._unary()
        token = self._peek()
        if left is None or token is None or token[0] != "op" or token[1] not in _FLIPPED:
            return left
        self.position += 1
        right = self._unary()
        following = self._peek()
        if right is None or (
            following is not None and following[0] == "op" and following[1] in _FLIPPED
        ):
            return None  # a chain of relations: left to CEL
        return _Node("compare", (left, right), str(token[1]))

    def _unary(self) -> _Node | None:
        if self._take("!"):
            operand = self._unary()
            return None if operand is None else _Node("not", (operand,))
        token = self._peek()
        if token is None:
            return None
        self.position += 1
        kind, value = token
        if kind == "lit":
            return _Node("literal", value=value)
        if kind == "name":
            getter = self.getters.get(str(value))
            return None if getter is None else _Node("field", value=getter)
        if token == ("op", "("):
            inner = self.expression()
            return inner if inner is not None and self._take(")") else None
        return None


class _Node:
    __slots__ = ("kind", "operands", "value")

    def __init__(self, kind: str, operands: tuple[_Node, ...] = (), value: object = None) -> None:
        self.kind = kind
        self.operands = operands
        self.value = value


def _boolean(node: _Node) -> Check:
    """A check returning a bool (CEL's result), or raising ``Unsure``."""
    if node.kind == "and":
        return _and(_boolean(node.operands[0]), _boolean(node.operands[1]))
    if node.kind == "or":
        return _or(_boolean(node.operands[0]), _boolean(node.operands[1]))
    if node.kind == "not":
        return _not(_boolean(node.operands[0]))
    if node.kind == "compare":
        return _compare(str(node.value), *node.operands)
    operand = _operand(node)

    def value(a: Any, b: Any) -> bool:
        found = operand(a, b)
        if type(found) is bool:
            return found
        raise Unsure  # CEL: a non-boolean result or a "no such overload" error

    return value


def _and(left: Check, right: Check) -> Check:
    # CEL's && is commutative on errors (``x && false`` is false even if x errs), so a
    # false left settles it; an Unsure left or right goes to CEL as a whole.
    return lambda a, b: left(a, b) and right(a, b)


def _or(left: Check, right: Check) -> Check:
    return lambda a, b: left(a, b) or right(a, b)


def _not(inner: Check) -> Check:
    return lambda a, b: not inner(a, b)


def _operand(node: _Node) -> _Operand:
    if node.kind == "literal":
        constant = node.value
        return lambda a, b: constant
    if node.kind == "field":
        getter: Getter = node.value  # type: ignore[assignment]
        return lambda a, b: _checked(getter(a, b))
    return _boolean(node)


def _checked(value: Any) -> Any:
    if _takes(value):
        return value
    raise Unsure


def _takes(value: Any) -> bool:
    """CEL takes the value as this module assumes: int64, str, bool or null."""
    kind = type(value)
    if kind is int:
        return bool(INT_MIN <= value <= INT_MAX)
    if kind is str:
        return bool(value.isascii() or _encodes(value))
    return kind is bool or value is None


def _encodes(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate: CEL cannot take the string
        return False
    return True


def _compare(op: str, left: _Node, right: _Node) -> Check:
    if left.kind == "literal" and right.kind == "field":
        left, right, op = right, left, _FLIPPED[op]
    if left.kind == "field" and right.kind == "literal" and _fits(op, right.value):
        return _compare_field(op, left.value, right.value)  # type: ignore[arg-type]
    first, second = _operand(left), _operand(right)
    if op in ("==", "!="):
        equal = op == "=="

        def equality(a: Any, b: Any) -> bool:
            x, y = first(a, b), second(a, b)
            if x is None or y is None:
                return (x is y) is equal
            if type(x) is not type(y):
                raise Unsure
            return (x == y) is equal

        return equality
    relate: Callable[[Any, Any], bool] = _ORDER[op]

    def ordering(a: Any, b: Any) -> bool:
        x, y = first(a, b), second(a, b)
        kind = type(x)
        if kind is type(y) and (kind is int or kind is str):
            return relate(x, y)
        raise Unsure

    return ordering


def _fits(op: str, literal: object) -> bool:
    """``field op literal`` has a one-call check: equality with a non-null literal, or
    ordering against an int or a string."""
    if op in ("==", "!="):
        return literal is not None
    return type(literal) is int or type(literal) is str


def _compare_field(op: str, getter: Getter, literal: Any) -> Check:
    """``field op literal``, the common case, in one call: the field's value must be of the
    literal's type (null is unequal to the literal; any other mix is Unsure)."""
    relate: Callable[[Any, Any], bool] = _RELATE[op]
    null = op == "!=" if op in ("==", "!=") else None  # the result for a null value
    kind = type(literal)

    def check(a: Any, b: Any) -> bool:
        value = getter(a, b)
        if type(value) is kind and _takes(value):
            return relate(value, literal)
        if value is None and null is not None:
            return null
        raise Unsure

    return check
