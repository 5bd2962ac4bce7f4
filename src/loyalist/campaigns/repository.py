"""The campaigns' SQL: campaigns and their history, the send plan, conversions, the
report's aggregates."""

from __future__ import annotations
