"""Referrals: personal codes and share links, attribution, fraud rules and two-sided rewards."""
