"""Problems of earning rules and the program file."""

from __future__ import annotations

from dataclasses import dataclass

from loyalist.errors import FieldError, InvalidRequestError, NotFoundError


class RuleInvalidError(InvalidRequestError):
    """A rule's CEL expression does not compile."""

    code = "rule_invalid"


class RuleNotFoundError(NotFoundError):
    """No rule, or no live version of it, has the key asked for."""

    code = "rule_not_found"


@dataclass(frozen=True, slots=True)
class FileProblem:
    line: int
    pointer: str
    message: str


class ProgramFileError(InvalidRequestError):
    """The program file has invalid YAML, fields or expressions (``problems``, in order)."""

    code = "program_invalid"

    def __init__(self, path: str, problems: list[FileProblem]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: (p.line, p.pointer))
        super().__init__(
            f"{path}: {len(problems)} problem(s)",
            errors=[FieldError(p.pointer, f"{path}:{p.line}: {p.message}") for p in self.problems],
        )
