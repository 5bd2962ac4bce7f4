"""Privacy: what the program holds about a member (the export bundle), erasure that keeps
the books exact, the destruction records (the "act" 152-FZ asks for), and retention:
members inactive too long are erased, and orders' references dropped after the accounting
period.

The one domain besides ``insights`` that reads other domains' tables (for the export, and
to find what retention is due for); it changes them only through their services. Other
packages import only the modules named in ``__all__``; its jobs are wired in ``bootstrap``
and its repository is its own.
"""

__all__ = ["models", "schemas", "service"]
