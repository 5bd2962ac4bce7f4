"""Staff: staff users and their passwords, browser sessions, two factors (TOTP and recovery
codes), roles (named sets of permissions, stored as data), API keys that act with a role or
with scopes, and who is calling (the principal every API route checks).

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = [
    "errors",
    "events",
    "models",
    "passwords",
    "policy",
    "schemas",
    "sealing",
    "service",
    "sessions",
    "two_factor",
    "users",
]
