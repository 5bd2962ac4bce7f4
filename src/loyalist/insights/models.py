"""Insights tables: per-member scores (RFM, churn risk, lifetime value)."""

from __future__ import annotations
