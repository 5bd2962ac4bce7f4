"""Staff: roles (named sets of permissions, stored as data), API keys that act with a role
or with scopes, and who is calling (the principal every API route checks).

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = ["errors", "models", "policy", "schemas", "service"]
