"""Referrals: personal codes and share links, attribution, fraud rules and two-sided rewards.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository is its own.
"""

__all__ = ["errors", "events", "models", "policy", "schemas", "service"]
