"""``loyalist insights`` commands: recommend."""

from __future__ import annotations
