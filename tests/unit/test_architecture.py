"""The architecture's rules that import-linter cannot see, checked on the source tree.

Each domain declares its public modules in its ``__init__``'s ``__all__``: every module
another package imports is declared there (``bootstrap`` wiring handlers, jobs and models
aside), and a repository, working set, handlers or jobs never is.

SQL is built and run only in a domain's ``repository.py`` or ``books.py`` (its working set),
in ``db/`` and in the migrations. Everywhere else a statement is a finding: a SQLAlchemy
statement constructor (``select``, ``insert``, ``update``, ``delete``, ``text``, ``union``
…), a statement run on a database handle (``.execute``, ``.executemany``, ``.scalar(s)``,
``.exec_driver_sql``, ``.copy``, ``.query``), or SQL text (a string that starts like a
statement in capitals, or in any case when passed to a cursor). A database handle is
anything reached through a ``session``, ``connection`` or ``cursor``, a name bound to one,
or a parameter typed as one; a CEL program's ``execute`` is not. ``models.py`` may use
``text`` for schema definitions (partial-index predicates, server defaults), nothing else.
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "loyalist"

#: SQLAlchemy callables that build a statement (or SQL text).
_CONSTRUCTORS = frozenset(
    {
        "select",
        "insert",
        "update",
        "delete",
        "text",
        "union",
        "union_all",
        "intersect",
        "except_",
        "exists",
        "literal_column",
        "lambda_stmt",
        "values",
        "table",
    }
)
#: Methods that send a statement when called on a database handle.
_RUNNERS = frozenset(
    {"execute", "executemany", "exec_driver_sql", "scalar", "scalars", "copy", "query", "stream"}
)
#: Names and attributes that are database handles wherever they appear in a receiver.
_HANDLES = frozenset(
    {"session", "connection", "conn", "cursor", "driver_connection", "raw_connection"}
)
#: Annotations that make a parameter a database handle.
_HANDLE_TYPES = re.compile(r"\b(Session|Connection|Engine|Cursor)\b")
#: Text that starts like a SQL statement (keywords in capitals, as the project writes SQL).
_SQL_TEXT = re.compile(
    r"^\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|WITH \w+ AS|COPY \w|CREATE |DROP |"
    r"ALTER |ANALYZE|VACUUM|PRAGMA|BEGIN|ROLLBACK|SAVEPOINT)\b"
)
#: Methods whose first argument is SQL text when given a string (a cursor's or a
#: ``db.raw.Cursor``'s); there the keywords count in any case.
_TAKES_SQL = frozenset(
    {"execute", "executemany", "exec_driver_sql", "copy", "one", "all", "change"}
)
_ANY_CASE_SQL = re.compile(_SQL_TEXT.pattern, re.IGNORECASE)


def _allowed(relative: Path) -> bool:
    """Files that may build SQL: repositories, working sets, the db package, migrations."""
    parts = relative.parts
    return parts[0] in ("db", "migrations") or relative.name in ("repository.py", "books.py")


def _sqlalchemy_names(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """Local names bound to SQLAlchemy callables (name -> original) and module aliases."""
    names: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            for alias in node.names:
                names[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    modules.add(alias.asname or alias.name.split(".")[0])
    return names, modules


def _chain(node: ast.expr) -> Iterator[str]:
    """The names and attributes along a receiver (``uow.session.connection()`` gives uow,
    session, connection)."""
    while True:
        if isinstance(node, ast.Attribute):
            yield node.attr
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            yield node.id
            return
        else:
            return


class _Finder(ast.NodeVisitor):
    def __init__(self, tree: ast.Module, *, models: bool) -> None:
        self.constructors, self.modules = _sqlalchemy_names(tree)
        self.models = models
        self.handles: set[str] = set()
        self.found: list[tuple[int, str]] = []

    def _builds(self, name: str) -> bool:
        return name in _CONSTRUCTORS and not (self.models and name == "text")

    def _is_handle(self, node: ast.expr) -> bool:
        return any(name in _HANDLES or name in self.handles for name in _chain(node))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        saved = set(self.handles)
        arguments = node.args
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            if arg.annotation is not None and _HANDLE_TYPES.search(ast.unparse(arg.annotation)):
                self.handles.add(arg.arg)
        self.generic_visit(node)
        self.handles = saved

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        if self._is_handle(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.handles.add(target.id)
        self.generic_visit(node)

    def visit_withitem(self, node: ast.withitem) -> None:
        if isinstance(node.optional_vars, ast.Name) and self._is_handle(node.context_expr):
            self.handles.add(node.optional_vars.id)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.constructors:
            name = self.constructors[func.id]
            if self._builds(name):
                self.found.append((node.lineno, f"{name}()"))
        elif isinstance(func, ast.Attribute):
            if (
                isinstance(func.value, ast.Name)
                and func.value.id in self.modules
                and self._builds(func.attr)
            ):
                self.found.append((node.lineno, f"{func.value.id}.{func.attr}()"))
            elif func.attr in _RUNNERS and self._is_handle(func.value):
                self.found.append((node.lineno, f".{func.attr}()"))
            first = node.args[0] if node.args else None
            if (
                func.attr in _TAKES_SQL
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _ANY_CASE_SQL.match(first.value)
                and not _SQL_TEXT.match(first.value)
            ):
                self.found.append((node.lineno, f"SQL text {first.value[:30]!r}"))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _SQL_TEXT.match(node.value):
            self.found.append((node.lineno, f"SQL text {node.value[:30]!r}"))


def sql_sites(source: str, *, models: bool = False) -> list[tuple[int, str]]:
    """Where ``source`` builds or runs SQL: ``(line, what)``."""
    tree = ast.parse(source)
    finder = _Finder(tree, models=models)
    finder.visit(tree)
    return sorted(finder.found)


def _modules() -> Iterator[tuple[Path, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path, path.relative_to(SRC)


def test_sql_is_built_only_in_repositories_working_sets_and_db() -> None:
    findings = [
        f"{relative}:{line}: {what}"
        for path, relative in _modules()
        if not _allowed(relative)
        for line, what in sql_sites(path.read_text(), models=relative.name == "models.py")
    ]
    assert findings == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from sqlalchemy import select\nq = select(A)\n", [(2, "select()")]),
        ("import sqlalchemy as sa\nq = sa.delete(A)\n", [(2, "sa.delete()")]),
        ("from sqlalchemy import text as t\nq = t('x')\n", [(2, "text()")]),
        ("def f(uow):\n    uow.session.execute(q)\n", [(2, ".execute()")]),
        ("def f(s: Session):\n    s.scalars(q)\n", [(2, ".scalars()")]),
        ("def f(uow):\n    s = uow.session\n    s.scalar(q)\n", [(3, ".scalar()")]),
        (
            "def f(c):\n    with c.cursor() as cur:\n        cur.executemany(q, r)\n",
            [(3, ".executemany()")],
        ),
        ("Q = 'SELECT id FROM members'\n", [(1, "SQL text 'SELECT id FROM members'")]),
        ("def f(uow):\n    uow.one('DELETE FROM x', ())\n", [(2, "SQL text 'DELETE FROM x'")]),
        ("def f(r):\n    r.all('select id from t', ())\n", [(2, "SQL text 'select id from t'")]),
        # Not SQL: a CEL program, polars' select, a dict's update, English text, and
        # ``text`` for a partial index in models.py.
        ("def f(program, ctx):\n    program.execute(ctx)\n", []),
        ("frame = frame.select('a')\nd.update(x)\n", []),
        ("TITLE = 'Select a reward'\n", []),
        ("from sqlalchemy import text\nw = text('is_first')\n", []),
        ("import sqlalchemy as sa\nw = sa.text('is_first')\n", []),
    ],
)
def test_the_check_finds_statements_and_only_statements(
    source: str, expected: list[tuple[int, str]]
) -> None:
    models = "'is_first'" in source
    assert sql_sites(source, models=models) == expected


#: The domain packages (import-linter's containers of the layers inside a domain).
DOMAINS = sorted(
    p.parent.name
    for p in SRC.glob("*/__init__.py")
    if p.parent.name not in ("api", "cli", "db", "demo", "migrations", "web")
)
_PRIVATE = {"handlers", "jobs", "books", "repository"}
_WIRED_BY_BOOTSTRAP = {"handlers", "jobs", "models"}


def _imported_modules(tree: ast.Module) -> Iterator[str]:
    """Every ``loyalist.<package>.<module>`` a module imports (at any depth in the file)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"


@functools.cache
def _imports() -> tuple[tuple[Path, frozenset[str]], ...]:
    """Each source module (relative path) with what it imports."""
    return tuple(
        (relative, frozenset(_imported_modules(ast.parse(path.read_text()))))
        for path, relative in _modules()
    )


def _outside_uses(domain: str) -> dict[str, set[str]]:
    """The domain's modules that other packages import -> the importing modules."""
    modules = {p.stem for p in (SRC / domain).glob("*.py")} - {"__init__"}
    uses: dict[str, set[str]] = {}
    for relative, imported in _imports():
        if relative.parts[0] == domain:
            continue
        importer = ".".join(relative.with_suffix("").parts)
        for name in imported:
            parts = name.split(".")
            if parts[:2] != ["loyalist", domain] or len(parts) < 3 or parts[2] not in modules:
                continue
            if importer == "bootstrap" and parts[2] in _WIRED_BY_BOOTSTRAP:
                continue
            uses.setdefault(parts[2], set()).add(importer)
    return uses


def test_every_domain_declares_its_public_modules() -> None:
    assert len(DOMAINS) >= 13
    for domain in DOMAINS:
        package = importlib.import_module(f"loyalist.{domain}")
        declared = set(getattr(package, "__all__", ()))
        modules = {p.stem for p in (SRC / domain).glob("*.py")}
        assert package.__doc__, domain
        assert declared <= modules, (domain, declared - modules)
        assert not declared & _PRIVATE, (domain, declared & _PRIVATE)
        undeclared = {m: sorted(by) for m, by in _outside_uses(domain).items() if m not in declared}
        assert undeclared == {}, domain
