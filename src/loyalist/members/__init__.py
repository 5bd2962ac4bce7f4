"""Members: the shop's customers, their encrypted profile and channel consent.

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = ["errors", "models", "policy", "schemas", "service"]
