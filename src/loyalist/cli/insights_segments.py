"""``loyalist insights`` commands: segments."""

from __future__ import annotations
