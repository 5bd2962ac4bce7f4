"""``loyalist insights`` commands: kpis."""

from __future__ import annotations
