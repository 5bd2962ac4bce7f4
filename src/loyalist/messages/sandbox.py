"""The Jinja2 sandbox messages render in, and the limits it enforces on every render.

Templates are edited by staff and stored; the sandbox keeps them from reaching Python
(``ImmutableSandboxedEnvironment``: no private attributes, no mutation of lists and dicts)
and from running away. Limits are enforced inside the render, on its own thread, by
counting — nothing is killed from outside:

- **steps**: every loop iteration (each ``for`` loop's iterable is wrapped, at compile time,
  in a counting generator) and every call (macros, methods, functions: the sandbox's
  ``call``) takes one step from the render's budget; ``range`` larger than the budget is
  refused. The budget also holds a deadline (``time.monotonic``), checked at each step.
  Between two steps a template does a bounded amount of work (its straight-line code over
  values no larger than the size limit), so the deadline is overrun by at most that much.
- **size**: the output is streamed and counted; values that could grow beyond the limit
  before being output are checked where they are built: ``~``, ``+``, ``*`` and ``%``
  on strings and lists, ``{% set %}`` blocks, the results of calls, and the few filters and
  string methods that take a width or a count (``center``, ``indent``, ``format``,
  ``replace``, ``batch``, ``slice``; ``ljust``, ``rjust``, ``zfill``, ``expandtabs``).
  ``**`` is refused past a result of ``MAX_POWER_BITS`` bits.
"""

from __future__ import annotations

import re
import time
import types
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from jinja2 import nodes, pass_context
from jinja2.filters import FILTERS
from jinja2.runtime import Context, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from loyalist.messages.formatting import Formatting

_T = TypeVar("_T")
#: ``**`` may build integers of at most this many bits.
MAX_POWER_BITS = 4096
#: Widths and counts in ``%``/``str.format`` specifications (``%0999d``, ``{:>999}``).
_PERCENT_SPEC = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*\}")
_DIGITS = re.compile(r"\d+")
#: String methods whose first argument is the width of their result.
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


@dataclass(frozen=True, slots=True)
class Limits:
    """What one render may use: characters of output (and of any value it builds), loop
    steps plus calls, and seconds of wall-clock time."""

    max_output_chars: int = 200_000
    max_steps: int = 20_000
    max_seconds: float = 1.0


class TooLargeError(Exception):
    """A render's output or a value it builds passed ``Limits.max_output_chars``."""


class TooLongError(Exception):
    """A render passed ``Limits.max_steps`` or ``Limits.max_seconds``."""


class Budget:
    """One render's limits, its remaining steps and its deadline, and its formatting."""

    __slots__ = ("deadline", "formatting", "limits", "steps_left")

    def __init__(self, limits: Limits, formatting: Formatting) -> None:
        self.limits = limits
        self.formatting = formatting
        self.steps_left = limits.max_steps
        self.deadline = time.monotonic() + limits.max_seconds

    def step(self) -> None:
        self.steps_left -= 1
        if self.steps_left < 0:
            raise TooLongError(f"more than {self.limits.max_steps} loop steps and calls")
        if time.monotonic() > self.deadline:
            raise TooLongError(f"longer than {self.limits.max_seconds:g} s")

    def sized(self, size: int) -> None:
        if size > self.limits.max_output_chars:
            raise TooLargeError(
                f"a value of {size} characters (limit {self.limits.max_output_chars})"
            )

    def sized_value(self, value: object) -> None:
        if isinstance(value, str | list | tuple):
            self.sized(len(value))

    def specification(self, fmt: object) -> None:
        """Refuses a ``%`` or ``str.format`` format with a width or precision past the limit."""
        if not isinstance(fmt, str):
            return
        numbers = [n for spec in _PERCENT_SPEC.findall(fmt) for n in spec if n]
        numbers += [n for field in _BRACE_SPEC.findall(fmt) for n in _DIGITS.findall(field)]
        for number in numbers:
            self.sized(int(number))


_BUDGET: ContextVar[Budget] = ContextVar("loyalist_messages_render_budget")


def budget() -> Budget:
    """The budget of the render running in this context (set by ``rendering``)."""
    return _BUDGET.get()


def run_with(limits: Limits, formatting: Formatting, work: Callable[[], _T]) -> _T:
    """Runs ``work`` (a render) with a fresh budget for its filters, loops and calls."""
    token = _BUDGET.set(Budget(limits, formatting))
    try:
        return work()
    finally:
        _BUDGET.reset(token)


def stream(chunks: Iterable[str]) -> str:
    """Joins a render's output chunks, stopping as soon as they pass the size limit."""
    current = budget()
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        current.sized(size)
        out.append(chunk)
    return "".join(out)


# -- what the compiler wraps around loops and values (see _Guard) ----------------------------
def _counted(iterable: Iterable[Any]) -> Iterator[Any]:
    current = budget()
    for item in iterable:
        current.step()
        yield item


def _sized(value: Any) -> Any:
    budget().sized_value(value)
    return value


def _range(*args: int) -> range:
    span = range(*args)
    if len(span) > budget().limits.max_steps:
        raise TooLongError(f"range of {len(span)} items is longer than the step limit")
    return span


# -- filters that take a width or a count: checked before they build ------------------------
def _center(value: str, width: int = 80) -> str:
    budget().sized(max(len(str(value)), int(width)))
    return str(FILTERS["center"](value, width))


def _indent(value: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    text = str(value)
    pad = len(width) if isinstance(width, str) else int(width)
    budget().sized(pad)
    budget().sized(len(text) + pad * (text.count("\n") + 1))
    return str(FILTERS["indent"](value, width, first, blank))


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    budget().specification(value)
    return str(FILTERS["format"](value, *args, **kwargs))


@pass_context
def _replace(context: Context, value: str, old: str, new: str, count: int | None = None) -> str:
    text = str(value)
    hits = text.count(str(old)) if count is None else min(int(count), text.count(str(old)))
    budget().sized(len(text) + hits * max(0, len(str(new)) - len(str(old))))
    return str(FILTERS["replace"](context.eval_ctx, value, old, new, count))


def _batch(value: Iterable[Any], linecount: int, fill_with: Any = None) -> Any:
    budget().sized(int(linecount))
    return FILTERS["batch"](value, linecount, fill_with)


def _slice(value: Iterable[Any], slices: int, fill_with: Any = None) -> Any:
    budget().sized(int(slices))
    return FILTERS["slice"](value, slices, fill_with)


class _Guard(NodeTransformer):
    """Wraps every loop's iterable in a step counter, and every ``~`` concatenation and
    ``{% set %}`` block in a size check."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "_counted", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node, "_sized", [], [], None, None, lineno=node.lineno)

    def visit_AssignBlock(self, node: nodes.AssignBlock) -> nodes.Node:
        self.generic_visit(node)
        node.filter = nodes.Filter(node.filter, "_sized", [], [], None, None, lineno=node.lineno)
        return node


class Sandbox(ImmutableSandboxedEnvironment):
    """An immutable sandbox with StrictUndefined whose renders are counted (module doc)."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, *, markup: bool) -> None:
        super().__init__(
            autoescape=markup,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,
            cache_size=0,
        )
        self.globals["range"] = _range
        self.filters.update(
            _counted=_counted,
            _sized=_sized,
            center=_center,
            indent=_indent,
            format=_format,
            replace=_replace,
            batch=_batch,
            slice=_slice,
        )

    def guarded(self, source: str) -> nodes.Template:
        """The template's syntax tree with the step and size guards in place."""
        tree = self.parse(source)
        guarded = _Guard().visit(tree)
        assert isinstance(guarded, nodes.Template)
        guarded.set_environment(self)
        return guarded

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        current = budget()
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_POWER_BITS:
                raise TooLargeError(f"{left} ** {right} is larger than {MAX_POWER_BITS} bits")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    current.sized(len(seq) * times)
        elif operator == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
                current.sized(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            current.specification(left)
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        current = budget()
        current.step()
        method = getattr(__obj, "__wrapped__", __obj)
        if isinstance(method, types.BuiltinMethodType) and isinstance(method.__self__, str):
            if method.__name__ in _WIDTH_METHODS and args and isinstance(args[0], int):
                current.sized(args[0])
            elif method.__name__ in ("format", "format_map"):
                current.specification(method.__self__)
            elif method.__name__ == "replace" and len(args) >= 2:
                hits = method.__self__.count(str(args[0]))
                current.sized(len(method.__self__) + hits * len(str(args[1])))
        result = super().call(__context, __obj, *args, **kwargs)
        current.sized_value(result)
        return result
