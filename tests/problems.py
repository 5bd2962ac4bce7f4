"""Every problem class of the code base: the ``DomainError`` subclasses that set a code."""

from __future__ import annotations

import functools
import importlib
import pkgutil

import loyalist
from loyalist.errors import DomainError


@functools.cache
def problem_classes() -> tuple[type[DomainError], ...]:
    """Each concrete problem (a class with its own ``code``), after importing every module
    of the package (migrations and ``__main__`` aside), so none can hide in one not yet
    imported."""
    for info in pkgutil.walk_packages(loyalist.__path__, "loyalist."):
        if not info.name.startswith("loyalist.migrations") and info.name != "loyalist.__main__":
            importlib.import_module(info.name)
    found: list[type[DomainError]] = []
    todo = [DomainError]
    while todo:
        kind = todo.pop()
        todo.extend(kind.__subclasses__())
        if "code" in vars(kind):
            found.append(kind)
    return tuple(sorted(found, key=lambda kind: kind.code))


def problems_by_code() -> dict[str, type[DomainError]]:
    return {kind.code: kind for kind in problem_classes()}
