"""Staff: API keys, staff users and their passwords, browser sessions, two factors (TOTP
and recovery codes), roles and permissions.

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = [
    "errors",
    "events",
    "models",
    "passwords",
    "schemas",
    "service",
    "sessions",
    "two_factor",
    "users",
]
