"""Earning rules: CEL conditions, effects, limits, versions, the program file, backtests.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository and working set (``books``) are its own.
"""

__all__ = [
    "backtest",
    "errors",
    "events",
    "models",
    "programfile",
    "programs",
    "schemas",
    "service",
]
