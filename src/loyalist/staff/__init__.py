"""Staff: API keys now; staff accounts, roles and TOTP later.

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = ["errors", "models", "service"]
