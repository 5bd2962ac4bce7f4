"""Activities: what the shop sends about its customers (orders, returns, reviews, custom).

Other packages import only the modules named in ``__all__``; its repository and working set
(``books``) are its own.
"""

__all__ = ["errors", "events", "export", "history", "models", "schemas", "sealing", "service"]
