"""The points ledger: accounts, lots, postings, holds, expiry and reversals.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository and working set (``books``) are its own.
"""

__all__ = [
    "approvals",
    "balances",
    "erasure",
    "errors",
    "events",
    "export",
    "models",
    "policy",
    "reasons",
    "schemas",
    "service",
    "verification",
]
