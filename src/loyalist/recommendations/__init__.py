"""Product recommendations: "bought this, also bought", personal picks and favourites.

Other packages import only the modules named in ``__all__``; its jobs are wired in
``bootstrap``, and its repository is its own.
"""

__all__ = ["evaluation", "models", "policy", "schemas", "service"]
