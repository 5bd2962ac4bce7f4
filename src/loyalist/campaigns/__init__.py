"""Campaigns: audiences, offers, A/B variants, control groups, resumable broadcasts,
attribution of goal events and the uplift report.

Other packages import only the modules named in ``__all__``; its repository is its own.
"""

__all__ = ["audience", "broadcast", "errors", "models", "report", "schemas", "seasons", "service"]
