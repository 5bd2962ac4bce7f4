"""Coupons: campaigns, codes (shared, personal, generated in batches), validation at
checkout and redemption.

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = ["codes", "errors", "generation", "models", "policy", "schemas", "service", "validation"]
