"""Tiers and paid memberships: qualification windows, perks, reviews, history."""
