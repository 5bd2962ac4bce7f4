"""Reading ``program.yaml``: every error of the whole file at once, each with its line, the
field's path and, for a CEL expression, the expression itself. This module reads the YAML
and checks the rules and tiers; ``loyalist.programfile`` reads the whole file (journeys and
templates too) with it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from loyalist.rules import engine
from loyalist.rules.errors import FileProblem, ProgramFileError
from loyalist.rules.schemas import ProgramFile, RuleSpec


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false (``on:``, ``yes``, ``no`` stay strings)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# Numbers without YAML 1.1's base 60: `18:00` stays the text "18:00", not 1080.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|0o[0-7_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A program file's YAML: the document and the line of every key and item by its path."""

    path: str
    data: dict[str, Any]
    lines: dict[tuple[Any, ...], int]

    def problems(self, exc: ValidationError, prefix: tuple[Any, ...] = ()) -> list[FileProblem]:
        """``exc``'s errors as file problems, their locations under ``prefix``."""
        return _problems(exc, prefix, self.lines)

    def problem(self, loc: tuple[Any, ...], message: str) -> FileProblem:
        return FileProblem(_line_of(loc, self.lines), _pointer(loc), message)


def parse_file(text: str, path: str = "program.yaml") -> ParsedFile:
    """The YAML of a program file (a mapping; an empty file is an empty one).

    Raises:
        ProgramFileError: not valid YAML, or not a mapping.
    """
    try:
        _check_nesting(text, path)
        root = yaml.compose(text, Loader=_Loader)
        _check_size(root, path)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ProgramFileError(path, [FileProblem(line, "", f"not valid YAML: {exc}")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProgramFileError(path, [FileProblem(1, "", "the file must be a mapping")])
    parsed = ParsedFile(path, data, _lines(root))
    nul = [
        parsed.problem(loc, "text must not contain the NUL character (U+0000)")
        for loc in _nul_texts(data, ())
    ]
    if nul:
        raise ProgramFileError(path, nul)
    return parsed


#: The deepest nesting and the most values (aliases counted at each use) a program file may
#: have: YAML's aliases make a few lines into millions of values, or into a loop.
_MAX_DEPTH = 50
_MAX_VALUES = 100_000


def _check_nesting(text: str, path: str) -> None:
    """Refuse nesting deeper than :data:`_MAX_DEPTH` before anything reads it recursively.

    Raises:
        ProgramFileError: too deep.
        yaml.YAMLError: not valid YAML.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark is not None else 1
                message = f"nested deeper than {_MAX_DEPTH} levels"
                raise ProgramFileError(path, [FileProblem(line, "", message)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_size(root: yaml.Node | None, path: str) -> None:
    """Refuse a document whose aliases loop or, expanded, nest too deep or hold more than
    :data:`_MAX_VALUES` values (each node measured once, however often it is used).

    Raises:
        ProgramFileError: a loop, too deep or too big.
    """
    if root is None:
        return
    measured: dict[int, tuple[int, int]] = {}  # node -> (values, depth) with aliases expanded
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = _children(node)
        if done:
            open_.discard(id(node))
            sizes = [measured[id(child)] for child in children]
            values = 1 + sum(size for size, _ in sizes)
            depth = 1 + max((d for _, d in sizes), default=0)
            if values > _MAX_VALUES or depth > _MAX_DEPTH:
                message = (
                    f"more than {_MAX_VALUES} values or {_MAX_DEPTH} levels (aliases expanded)"
                )
                raise ProgramFileError(path, [FileProblem(node.start_mark.line + 1, "", message)])
            measured[id(node)] = (values, depth)
            continue
        if id(node) in measured:
            continue
        if id(node) in open_:
            line = node.start_mark.line + 1
            raise ProgramFileError(path, [FileProblem(line, "", "an alias refers to itself")])
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in measured)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A date or time as YAML reads it; an impossible one (``2026-13-45``) is a problem at
    its line, not an error of the reader."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"not a date: {exc}", node.start_mark
        ) from None


def _number(kind: str) -> Any:
    plain = getattr(yaml.SafeLoader, f"construct_yaml_{kind}")

    def construct(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        try:
            return plain(loader, node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a {kind}", node.start_mark
            ) from None

    return construct


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _number("int"))
_Loader.add_constructor("tag:yaml.org,2002:float", _number("float"))


def _nul_texts(value: Any, loc: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Where the document has a text with a NUL (no database column can store one)."""
    if isinstance(value, str):
        return [loc] if "\x00" in value else []
    if isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            for found in ([(*loc, key)] if isinstance(key, str) and "\x00" in key else [])
            + _nul_texts(item, (*loc, key))
        ]
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in _nul_texts(item, (*loc, i))]
    return []


def program_problems(
    parsed: ParsedFile, data: dict[str, Any]
) -> tuple[ProgramFile | None, list[FileProblem]]:
    """``data`` (the file's version, rules and tiers) validated with every CEL expression
    compiled: the program, or the problems with their lines."""
    lines = parsed.lines
    problems: list[FileProblem] = []
    raw_rules = data.get("rules") or []
    specs: list[RuleSpec] = []
    if isinstance(raw_rules, list):
        # Each rule on its own, so one bad rule does not hide the CEL errors of the others.
        for index, raw in enumerate(raw_rules):
            try:
                spec = RuleSpec.model_validate(raw)
            except ValidationError as exc:
                problems.extend(_problems(exc, ("rules", index), lines))
                condition = raw.get("condition") if isinstance(raw, dict) else None
                if isinstance(condition, str):
                    problems.extend(_cel_syntax(condition, ("rules", index, "condition"), lines))
                continue
            specs.append(spec)
            try:
                engine.compile_program([(None, spec)])
            except engine.RuleCompileError as exc:
                loc = ("rules", index, *_split(exc.path))
                problems.append(
                    FileProblem(
                        _line_of(loc, lines),
                        _pointer(loc),
                        f"{exc.message} in CEL expression `{exc.expression}`",
                    )
                )
    program: ProgramFile | None = None
    try:
        program = ProgramFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(
            p
            for p in _problems(exc, (), lines)
            if not (p.pointer.startswith("/rules/") and p.pointer.count("/") > 2)
        )
    return program, problems


def check_rule(text: str) -> tuple[RuleSpec | None, list[FileProblem]]:
    """One rule written as YAML (what one item of the file's ``rules:`` holds), validated
    with its CEL compiled: the rule, or every problem with its line and its pointer from
    the rule's root (``/effects/0/points``), so an editor can show each at its field."""
    try:
        parsed = parse_file(text, "rule.yaml")
    except ProgramFileError as exc:
        return None, exc.problems
    lines = parsed.lines
    try:
        spec = RuleSpec.model_validate(parsed.data)
    except ValidationError as exc:
        problems = _problems(exc, (), lines)
        condition = parsed.data.get("condition")
        if isinstance(condition, str):
            problems += _cel_syntax(condition, ("condition",), lines)
        return None, unique(problems)
    try:
        engine.compile_program([(None, spec)])
    except engine.RuleCompileError as exc:
        loc = _split(exc.path)
        message = f"{exc.message} in CEL expression `{exc.expression}`"
        return None, [FileProblem(_line_of(loc, lines), _pointer(loc), message)]
    return spec, []


def _cel_syntax(
    source: str, loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]
) -> list[FileProblem]:
    import cel  # here, not at the top: the package loads a terminal UI (prompt_toolkit)

    try:
        cel.compile(source)
    except ValueError as exc:
        message = str(exc).strip().splitlines()[0]
        return [FileProblem(_line_of(loc, lines), _pointer(loc), f"{message} in `{source}`")]
    return []


def unique(problems: list[FileProblem]) -> list[FileProblem]:
    """``problems`` without repeats, in order."""
    seen: set[tuple[int, str, str]] = set()
    kept = []
    for problem in problems:
        key = (problem.line, problem.pointer, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


class _Dumper(yaml.SafeDumper):
    """Writes texts so the loader reads them back as they were: quoted when the loader
    would read the plain text as something else (``0o7``, ``1e5``: numbers to it, not to
    PyYAML's YAML 1.1 dumper), double-quoted with escapes when they hold a line break
    other than a newline (CR, NEL, the Unicode line and paragraph separators)."""


_BREAKS = re.compile("[\r\x85\u2028\u2029]")
_STR = "tag:yaml.org,2002:str"
_RESOLVER = _Loader("")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if _BREAKS.search(value):
        style = '"'
    elif _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR:  # type: ignore[no-untyped-call]
        style = "'"
    return dumper.represent_scalar(_STR, value, style=style)


_Dumper.add_representer(str, _text)


def dump_program(document: dict[str, Any]) -> str:
    """A program file document as YAML (what the loader reads back as it was)."""
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _lines(node: yaml.Node | None) -> dict[tuple[Any, ...], int]:
    """Line (1-based) of every mapping key and sequence item, by its path."""
    found: dict[tuple[Any, ...], int] = {}

    def walk(current: yaml.Node, path: tuple[Any, ...]) -> None:
        found.setdefault(path, current.start_mark.line + 1)
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                key = key_node.value
                found[(*path, key)] = key_node.start_mark.line + 1
                walk(value_node, (*path, key))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                walk(item, (*path, index))

    if node is not None:
        walk(node, ())
    return found


def _split(path: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for piece in path.replace("]", "").replace("[", ".").split("."):
        if piece:
            parts.append(int(piece) if piece.isdigit() else piece)
    return tuple(parts)


def _line_of(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int:
    for end in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:end]))
        if line is not None:
            return line
    return 1


def _pointer(loc: tuple[Any, ...]) -> str:
    return "".join(f"/{part}" for part in loc)


def _problems(
    exc: ValidationError, prefix: tuple[Any, ...], lines: dict[tuple[Any, ...], int]
) -> list[FileProblem]:
    out = []
    for err in exc.errors():
        loc = _without_tags((*prefix, *err["loc"]))
        out.append(FileProblem(_line_of(loc, lines), _pointer(loc), err["msg"]))
    return out


_EFFECT_TAGS = frozenset(
    {"fixed", "per_unit", "multiplier", "per_item", "coupon", "badge", "reward"}
)


def _without_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the union tag pydantic puts in an effect's location (``effects/0/fixed/...``):
    only right after the index, so a field named like its tag (``badge``, ``reward``) stays."""
    kept: list[Any] = []
    for i, part in enumerate(loc):
        if (
            part in _EFFECT_TAGS
            and i >= 2
            and isinstance(loc[i - 1], int)
            and loc[i - 2] == "effects"
        ):
            continue
        kept.append(part)
    return tuple(kept)
