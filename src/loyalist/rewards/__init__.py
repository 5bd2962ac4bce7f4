"""Rewards catalogue: what members spend points on (or get as a surprise), issued as coupons.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository is its own.
"""

__all__ = ["catalogue", "errors", "models", "schemas", "service"]
