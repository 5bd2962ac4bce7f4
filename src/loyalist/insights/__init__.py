"""Insights: read-only figures over every domain's data: NPS, KPIs, cohorts, RFM, churn
risk and lifetime value, and the member scores and segments they store.

Other packages import only the modules named in ``__all__``; its jobs are wired in
``bootstrap``, and its repository is its own.
"""

__all__ = [
    "clv",
    "errors",
    "export",
    "models",
    "nps",
    "rfm",
    "schemas",
    "scoring",
    "segments",
    "service",
]
