"""Checkout: quotes, and holds of points and coupons that an order confirms or time releases.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository is its own.
"""

__all__ = ["errors", "models", "schemas", "service"]
