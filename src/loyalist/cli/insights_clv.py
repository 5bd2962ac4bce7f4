"""``loyalist insights`` commands: clv."""

from __future__ import annotations
