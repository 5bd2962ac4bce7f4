"""Members: the shop's customers, their encrypted profile, the consent registry and their
portal sessions.

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = [
    "consents",
    "errors",
    "export",
    "keys",
    "models",
    "policy",
    "schemas",
    "service",
    "sessions",
]
