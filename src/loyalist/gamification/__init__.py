"""Gamification: badges, quests and challenges, streaks and levels."""
