"""Recommendation tables (item neighbours, popularity)."""

from __future__ import annotations
