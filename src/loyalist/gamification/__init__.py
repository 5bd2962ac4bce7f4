"""Gamification: badges, quests and challenges, streaks and levels.

Other packages import only the modules named in ``__all__``; its handlers and jobs are wired
in ``bootstrap``, and its repository is its own.
"""

__all__ = ["backfill", "errors", "events", "models", "schemas", "service"]
