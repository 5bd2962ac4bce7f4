"""Audit: an append-only trail of who did what to which data, when, from where and why.

Rows form a hash chain (each row's hash covers the previous one), so an edited or deleted
row is found by ``loyalist audit verify``. Other packages import only ``__all__``.
"""

__all__ = ["models", "policy", "schemas", "service", "verification"]
