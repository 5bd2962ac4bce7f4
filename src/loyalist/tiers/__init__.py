"""Tiers and paid memberships: qualification windows, perks, reviews, history.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository and working set (``books``) are its own.
"""

__all__ = ["events", "models", "policy", "schemas", "service"]
