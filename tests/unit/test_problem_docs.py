"""Every problem is a class with its own code, a page in docs/problems/ and a docstring;
raise sites name the class, never a family with a code string."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import loyalist.errors
from loyalist.errors import DomainError
from tests.problems import problem_classes, problems_by_code

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "docs" / "problems"
#: The families of loyalist/errors.py: what a problem class derives from, never raised.
FAMILIES = frozenset(
    name
    for name, value in vars(loyalist.errors).items()
    if isinstance(value, type) and issubclass(value, DomainError) and "code" not in vars(value)
)


def test_the_families_are_found() -> None:
    assert {"DomainError", "InvalidRequestError", "ConflictError", "SetupError"} <= FAMILIES


def test_codes_are_unique() -> None:
    codes = [kind.code for kind in problem_classes()]
    assert len(codes) > 90, "found too few problem classes: the scan is broken"
    assert sorted(c for c in set(codes) if codes.count(c) > 1) == []


def test_every_problem_has_a_page_and_every_page_a_problem() -> None:
    documented = {page.stem for page in PAGES.glob("*.md")}
    assert sorted(set(problems_by_code()) - documented) == []
    assert sorted(documented - set(problems_by_code())) == []


def test_every_problem_says_when_it_happens_in_one_line_of_its_own() -> None:
    for kind in problem_classes():
        doc = vars(kind).get("__doc__") or ""
        assert doc.endswith("."), kind
        assert "\n" not in doc, kind
        assert kind.__module__.endswith(".errors") or kind.__module__ == "loyalist.errors", kind


def test_pages_state_the_status_and_exit_code_of_their_class() -> None:
    for code, kind in problems_by_code().items():
        text = (PAGES / f"{code}.md").read_text(encoding="utf-8")
        status = re.search(r"^HTTP (\d{3})", text, re.MULTILINE)
        if status:
            assert int(status.group(1)) == kind.status, code
        exit_code = re.search(r"(?:CLI|command line:) exit (\d)", text)
        if exit_code:
            assert int(exit_code.group(1)) == kind.exit_code, code
        assert status or exit_code or code == "program_invalid", code


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _offences(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        first = node.args[0] if node.args else None
        if name in FAMILIES:
            found.append(f"{node.lineno}: {name}(...) raises a family")
        elif name.endswith("Error") and any(k.arg == "code" for k in node.keywords):
            found.append(f"{node.lineno}: {name}(code=...)")
        elif name in ("Refusal", "print_error") and isinstance(first, ast.Constant):
            found.append(f"{node.lineno}: {name}({first.value!r}, ...)")
    return found


def test_raise_sites_name_the_problem_class() -> None:
    offences = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "src" / "loyalist").rglob("*.py"))
        if (found := _offences(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offences == {}


def test_the_scan_finds_what_it_forbids() -> None:
    bad = """
raise ConflictError("x", code="insufficient_points")
raise NotFoundError("x")
raise HoldNotFoundError("x", code="other")
Refusal("coupon_expired", "x")
print_error("format_unknown", "x")
"""
    lines = sorted(int(found.split(":")[0]) for found in _offences(ast.parse(bad)))
    assert lines == [2, 3, 4, 5, 6]
